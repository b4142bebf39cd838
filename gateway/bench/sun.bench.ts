/**
 * Secure reader benchmark: SUN verification per tap (NTAG 424 DNA) and the OSDP secure poll.
 *
 *     npm run bench:sun -w gateway
 *
 * SUN: 2 000 distinct cards, each tapped with a fresh SUN as an NTAG 424 DNA makes it; every tap goes through what the gateway does before the decision: NDEF file →
 * URI → SUN parameters → decrypt PICC data → diversify the card key → session key → MAC → UID
 * check (credentials/sunCredential.ts), then the read-counter rule. 200 000 taps, p50/p99/p99.9.
 * OSDP: the CPU time of one secure POLL/ACK exchange (CP seal + PD open + PD seal + CP open),
 * and the resulting poll cycle at 115 200 baud with 4 readers, line time computed from the
 * frame sizes (10 bits a byte on the wire).
 */
import {
  aesEncryptBlock,
  cardFileReadKey,
  credentialHash,
  decodeOsdpPacket,
  encodeFullBundle,
  generateCredentialSalt,
  ndefFileForUri,
  OsdpSecureChannel,
  osdpDefaultInstallKey,
  SunVerifier,
  sdmMac,
  sunVerificationKeys,
} from "@passerelle/protocol";
import { handleBadge } from "../src/access/badgeFlow.js";
import { ReadCounterTable } from "../src/credentials/readCounterTable.js";
import { proveCard } from "../src/credentials/sunCredential.js";
import { buildIndex } from "../src/decision/accessIndex.js";
import type { BadgePresentation } from "../src/hardware/ports.js";

const keys = sunVerificationKeys(Buffer.alloc(16, 0x42), 1);
const verifier = new SunVerifier(keys);
const cards = 2_000;
const taps = 200_000;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

/** The NDEF file an NTAG 424 DNA personalised with `keys` shows for `counter` (cardKeys.ts). */
function sunFile(uid: Buffer, counter: number): Buffer {
  const plain = Buffer.alloc(16);
  plain[0] = 0xc7;
  uid.copy(plain, 1);
  plain.writeUIntLE(counter, 8, 3);
  const e = aesEncryptBlock(keys.metaReadKey, plain).toString("hex");
  const c = sdmMac(cardFileReadKey(keys, uid), uid, counter, Buffer.alloc(0)).toString("hex");
  return ndefFileForUri(`https://passerelle.example/t?e=${e}&c=${c}`);
}

function sunBench(): void {
  const presentations: BadgePresentation[] = [];
  for (let i = 0; i < cards; i += 1) {
    const uid = Buffer.alloc(7);
    uid[0] = 0x04;
    uid.writeUInt32BE(i, 3);
    presentations.push({
      readerId: "r",
      uid,
      at: 0,
      ndefFile: { ok: true, file: sunFile(uid, i + 1) },
    });
  }
  const counters = new ReadCounterTable();
  const times = new Float64Array(taps);
  let refused = 0;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < taps; i += 1) {
    const presentation = presentations[i % cards] as BadgePresentation;
    const started = process.hrtime.bigint();
    const proof = proveCard(presentation, verifier);
    if (proof.kind === "sun") counters.accept(`card-${i % cards}`, proof.readCounter + i);
    else refused += 1;
    times[i] = Number(process.hrtime.bigint() - started) / 1000;
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (refused > 0) throw new Error(`${refused} taps refused`);
  const sorted = times.sort();
  // On a loaded machine the wall-clock tail is the scheduler's; CPU time per tap is ours.
  console.log(
    `SUN verification CPU time per tap (mean): ${((cpu.user + cpu.system) / taps).toFixed(1)} µs`,
  );
  console.log(
    `SUN verification per tap: p50 ${percentile(sorted, 0.5).toFixed(1)} µs, p99 ${percentile(sorted, 0.99).toFixed(1)} µs, p99.9 ${percentile(sorted, 0.999).toFixed(1)} µs (${taps} taps, goal p99 < 100 µs)`,
  );
}

function osdpBench(): void {
  const cp = new OsdpSecureChannel("cp");
  const pd = new OsdpSecureChannel("pd");
  const ccrypt = pd.answerChallenge(cp.challenge(), osdpDefaultInstallKey, Buffer.alloc(8, 1));
  const scrypt = ccrypt && cp.acceptClientCryptogram(ccrypt, osdpDefaultInstallKey);
  const rmac = scrypt && pd.answerServerCryptogram(scrypt);
  if (!rmac || !cp.acceptInitialRmac(rmac)) throw new Error("handshake failed");
  const rounds = 50_000;
  const times = new Float64Array(rounds);
  let pollBytes = 0;
  let ackBytes = 0;
  for (let i = 0; i < rounds; i += 1) {
    const started = process.hrtime.bigint();
    const poll = cp.seal(
      { address: 1, sequence: (i % 3) + 1, useCrc: true },
      0x60,
      Buffer.alloc(0),
    );
    const command = decodeOsdpPacket(poll);
    if (!command.ok || !pd.open(command).ok) throw new Error("poll refused");
    const ack = pd.seal(
      { address: 0x81, sequence: (i % 3) + 1, useCrc: true },
      0x40,
      Buffer.alloc(0),
    );
    const reply = decodeOsdpPacket(ack);
    if (!reply.ok || !cp.open(reply).ok) throw new Error("ack refused");
    times[i] = Number(process.hrtime.bigint() - started) / 1000;
    pollBytes = poll.length;
    ackBytes = ack.length;
  }
  const sorted = times.sort();
  const cpuP50 = percentile(sorted, 0.5);
  const lineMs = ((pollBytes + ackBytes) * 10 * 1000) / 115_200;
  const readers = 4;
  console.log(
    `OSDP secure POLL+ACK CPU (both ends): p50 ${cpuP50.toFixed(1)} µs, p99 ${percentile(sorted, 0.99).toFixed(1)} µs; frames ${pollBytes}+${ackBytes} bytes = ${lineMs.toFixed(2)} ms on the line at 115 200 baud`,
  );
  console.log(
    `OSDP poll cycle, ${readers} readers at 115 200 baud: ${(readers * (lineMs + cpuP50 / 1000)).toFixed(1)} ms plus each reader's reply delay (line time + CPU p50; a card read waits at most one cycle)`,
  );
}

/** Card to relay for SUN cards through the badge flow, with a bundle of the 2 000 cards. */
function badgeFlowBench(): void {
  const salt = generateCredentialSalt();
  const presentations: BadgePresentation[] = [];
  const uids: Buffer[] = [];
  for (let i = 0; i < cards; i += 1) {
    const uid = Buffer.alloc(7);
    uid[0] = 0x04;
    uid.writeUInt32BE(i, 3);
    uids.push(uid);
  }
  const index = buildIndex(
    encodeFullBundle({
      type: "bundle.full",
      centre: "bench",
      version: 1,
      issuedAt: "2026-01-01T00:00:00.000Z",
      validUntil: "2099-01-01T00:00:00.000Z",
      credentialSalt: salt,
      rules: {
        id: "bench",
        name: "Bench",
        timeZone: "Europe/Brussels",
        openingHours: [],
        closedDates: [],
      },
      doors: [{ id: "main", name: "Main", direction: "in", zones: [] }],
      credentials: uids.map((uid, i) => ({
        hash: credentialHash(uid, salt),
        member: `m-${i}`,
        status: "active",
        doors: ["main"],
        windows: [],
        passes: [],
        staff: true,
        offlineStaff: false,
        secureCard: true,
      })),
    }),
  );
  const rounds = 50_000;
  for (let i = 0; i < rounds; i += 1) {
    const uid = uids[i % cards] as Buffer;
    presentations.push({
      readerId: "r",
      uid,
      at: 0,
      ndefFile: { ok: true, file: sunFile(uid, i + 1) },
    });
  }
  const secureCards = { verifier, counters: new ReadCounterTable() };
  const times = new Float64Array(rounds);
  let started = 0n;
  let granted = 0;
  const deps = {
    centre: "bench",
    door: { id: "main", direction: "in" as const },
    currentIndex: () => index,
    clockTrusted: () => true,
    now: () => Date.now(),
    unlock: () => {
      times[granted] = Number(process.hrtime.bigint() - started) / 1000;
      granted += 1;
    },
    record: () => {},
    secureCards,
  };
  for (const presentation of presentations) {
    started = process.hrtime.bigint();
    handleBadge(deps, presentation);
  }
  if (granted !== rounds) throw new Error(`${rounds - granted} SUN taps not granted`);
  const sorted = times.sort();
  console.log(
    `SUN card to relay command (badge flow, ${cards} secure cards): p50 ${percentile(sorted, 0.5).toFixed(1)} µs, p99 ${percentile(sorted, 0.99).toFixed(1)} µs (${rounds} taps)`,
  );
}

sunBench();
badgeFlowBench();
osdpBench();
