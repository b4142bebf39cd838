/**
 * Card to relay command through the gateway's badge flow: a SUN card (NTAG 424 DNA) against
 * its peer, a plain UID card, at the same door with the same bundle.
 *
 *     npm run bench:card-relay -w gateway
 *
 * In process, on the real decision path (`handleBadge`: credential hash, SUN proof and read
 * counter for the secure card, index lookup, rules, then the `unlock` call that commands the
 * relay). The clock starts when the reader hands over its read (UID + NDEF file already read:
 * the NFC air time is the reader's, not ours) and stops in `unlock`. The two kinds run in
 * alternating batches so a burst of load on the shared machine hits both.
 */
import {
  aesEncryptBlock,
  cardFileReadKey,
  credentialHash,
  encodeFullBundle,
  generateCredentialSalt,
  ndefFileForUri,
  SunVerifier,
  sdmMac,
  sunVerificationKeys,
} from "@passerelle/protocol";
import { handleBadge } from "../src/access/badgeFlow.js";
import { ReadCounterTable } from "../src/credentials/readCounterTable.js";
import { buildIndex } from "../src/decision/accessIndex.js";
import type { BadgePresentation } from "../src/hardware/ports.js";
import { loadAverage, percentile } from "./benchStats.js";

const keys = sunVerificationKeys(Buffer.alloc(16, 0x42), 1);
const cards = 2_000;
const taps = 50_000;
const batch = 1_000;

function uidOf(i: number, first: number): Buffer {
  const uid = Buffer.alloc(7);
  uid[0] = first;
  uid.writeUInt32BE(i, 3);
  return uid;
}

/** The NDEF file an NTAG 424 DNA personalised with `keys` shows for `counter`. */
function sunFile(uid: Buffer, counter: number): Buffer {
  const plain = Buffer.alloc(16);
  plain[0] = 0xc7;
  uid.copy(plain, 1);
  plain.writeUIntLE(counter, 8, 3);
  const e = aesEncryptBlock(keys.metaReadKey, plain).toString("hex");
  const c = sdmMac(cardFileReadKey(keys, uid), uid, counter, Buffer.alloc(0)).toString("hex");
  return ndefFileForUri(`https://passerelle.example/t?e=${e}&c=${c}`);
}

const salt = generateCredentialSalt();
const sunUids = Array.from({ length: cards }, (_, i) => uidOf(i, 0x04));
const plainUids = Array.from({ length: cards }, (_, i) => uidOf(i, 0x08));
const credential = (uid: Buffer, member: string, secureCard: boolean) => ({
  hash: credentialHash(uid, salt),
  member,
  status: "active" as const,
  doors: ["main"],
  windows: [],
  passes: [],
  staff: true,
  offlineStaff: false,
  secureCard,
});
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
    credentials: [
      ...sunUids.map((uid, i) => credential(uid, `s-${i}`, true)),
      ...plainUids.map((uid, i) => credential(uid, `p-${i}`, false)),
    ],
  }),
);

// Every SUN tap carries a fresh counter, as a real card's does; built before the clock runs.
const sunTaps: BadgePresentation[] = [];
const plainTaps: BadgePresentation[] = [];
for (let i = 0; i < taps; i += 1) {
  const sunUid = sunUids[i % cards] as Buffer;
  sunTaps.push({
    readerId: "r",
    uid: sunUid,
    at: 0,
    ndefFile: { ok: true, file: sunFile(sunUid, i + 1) },
  });
  plainTaps.push({ readerId: "r", uid: plainUids[i % cards] as Buffer, at: 0 });
}

let started = 0n;
let unlocked = 0;
let times: Float64Array = new Float64Array(0);
const deps = {
  centre: "bench",
  door: { id: "main", direction: "in" as const },
  currentIndex: () => index,
  clockTrusted: () => true,
  now: () => Date.now(),
  unlock: () => {
    times[unlocked] = Number(process.hrtime.bigint() - started) / 1000;
    unlocked += 1;
  },
  record: () => {},
  secureCards: { verifier: new SunVerifier(keys), counters: new ReadCounterTable() },
};

function runBatch(
  presentations: BadgePresentation[],
  from: number,
  into: Float64Array,
  at: number,
): void {
  times = into;
  unlocked = at;
  for (let i = from; i < from + batch; i += 1) {
    started = process.hrtime.bigint();
    handleBadge(deps, presentations[i] as BadgePresentation);
  }
  if (unlocked !== at + batch) throw new Error(`${at + batch - unlocked} taps not granted`);
}

console.log(`load average before: ${loadAverage()}`);
const sunTimes = new Float64Array(taps);
const plainTimes = new Float64Array(taps);
for (let from = 0; from < taps; from += batch) {
  runBatch(sunTaps, from, sunTimes, from);
  runBatch(plainTaps, from, plainTimes, from);
}
sunTimes.sort();
plainTimes.sort();
const line = (name: string, t: Float64Array) =>
  `${name}: p50 ${percentile(t, 0.5).toFixed(1)} µs, p99 ${percentile(t, 0.99).toFixed(1)} µs, p99.9 ${percentile(t, 0.999).toFixed(1)} µs`;
console.log(
  `card to relay command, badge flow, ${taps} taps each, ${cards * 2} cards in the bundle`,
);
console.log(line("  SUN card (NTAG 424 DNA)", sunTimes));
console.log(line("  plain UID card (peer)  ", plainTimes));
console.log(
  `  ratio SUN / plain: p50 ${(percentile(sunTimes, 0.5) / percentile(plainTimes, 0.5)).toFixed(1)}×, p99 ${(percentile(sunTimes, 0.99) / percentile(plainTimes, 0.99)).toFixed(1)}×`,
);
console.log(`load average after: ${loadAverage()}`);
