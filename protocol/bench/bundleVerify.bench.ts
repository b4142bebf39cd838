/**
 * Benchmark: verify and index a signed bundle of 100 000 credentials, the work a gateway does
 * when a full bundle arrives. Reports wall time per phase and the memory the indexed bundle holds.
 *
 *     npm run bench -w protocol
 */
import { createPrivateKey } from "node:crypto";
import { arch, cpus, totalmem } from "node:os";
import {
  type BundleCredential,
  credentialHash,
  type FullBundle,
  generateCredentialSalt,
  generateSigningKeyPair,
  openBundle,
  signFullBundle,
  trustedKeysFromPem,
  verifyDocument,
} from "../src/index.js";

const credentialCount = Number(process.env.BENCH_CREDENTIALS ?? 100_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

function makeBundle(count: number, salt: string): FullBundle {
  const credentials: BundleCredential[] = [];
  for (let i = 0; i < count; i += 1) {
    credentials.push({
      hash: credentialHash(i.toString(16).padStart(14, "0"), salt),
      member: `m-${i}`,
      status: i % 50 === 0 ? "revoked" : "active",
      doors: ["door-main", "door-back"],
      windows:
        i % 3 === 0
          ? [
              {
                from: "2026-11-23T07:45:00.000Z",
                to: "2026-11-23T17:15:00.000Z",
                source: "booking",
              },
            ]
          : [],
      passes:
        i % 3 === 1
          ? [
              {
                from: "2026-11-01T00:00:00.000Z",
                to: "2026-12-01T00:00:00.000Z",
                hours: "opening-hours",
              },
            ]
          : [],
      staff: i % 1000 === 0,
      offlineStaff: false,
    });
  }
  return {
    type: "bundle.full",
    centre: "louvain-la-neuve",
    version: 42,
    issuedAt: "2026-11-23T07:00:00.000Z",
    validUntil: "2026-11-30T07:00:00.000Z",
    credentialSalt: salt,
    rules: {
      id: "louvain-la-neuve",
      name: "Louvain-la-Neuve",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5], open: "07:30", close: "19:00" }],
      closedDates: [],
    },
    doors: [
      { id: "door-main", name: "Entrée", direction: "both", zones: ["open-space"] },
      { id: "door-back", name: "Arrière", direction: "both", zones: ["open-space"] },
    ],
    credentials,
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const pair = generateSigningKeyPair();
const privateKey = createPrivateKey(pair.privateKeyPem);
const trustedKeys = trustedKeysFromPem([pair.publicKeyPem]);
const frame = signFullBundle(makeBundle(credentialCount, generateCredentialSalt()), privateKey);
const now = Date.parse("2026-11-23T09:00:00.000Z");

/** What a gateway does with a frame; in its own function so no temporaries outlive it. */
function verifyAndIndex(): Map<string, BundleCredential> {
  const bundle = openBundle(frame, {
    trustedKeys,
    heldVersion: 41,
    now,
    centre: "louvain-la-neuve",
  });
  if (bundle.type !== "bundle.full") throw new Error("expected a full bundle");
  return new Map(bundle.credentials.map((c) => [c.hash, c]));
}

const results: { signature: number; total: number; heapHeld: number }[] = [];
for (let round = 0; round < rounds; round += 1) {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let start = process.hrtime.bigint();
  verifyDocument(frame, trustedKeys, 128 * 1024 * 1024);
  const signature = ms(start);
  start = process.hrtime.bigint();
  const index = verifyAndIndex();
  const total = ms(start);
  globalThis.gc?.();
  // Heap held while the index is alive: the gateway's cost of holding this bundle. Only the first
  // round is meaningful: later rounds start while the interpreter still references the last index.
  const heapHeld = process.memoryUsage().heapUsed - heapBefore;
  if (index.size !== credentialCount) throw new Error("index lost credentials");
  results.push({ signature, total, heapHeld });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  `protocol bundle benchmark — ${cpus()[0]?.model ?? "cpu"} ×${cpus().length}, ${arch()}, ${mib(totalmem())} MiB, node ${process.version}`,
);
console.log(
  `credentials: ${credentialCount}, signed frame: ${mib(frame.length)} MiB, rounds: ${rounds} (median)`,
);
console.table({
  "signature check only (ms)": median(results.map((r) => r.signature)).toFixed(1),
  "verify + parse + schema + version/expiry + index (ms)": median(
    results.map((r) => r.total),
  ).toFixed(1),
  "heap held by parsed bundle + index (MiB, first round)": mib(results[0]?.heapHeld ?? 0),
  "process RSS (MiB)": mib(process.memoryUsage().rss),
});
