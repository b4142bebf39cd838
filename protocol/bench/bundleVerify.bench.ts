/**
 * Benchmark: verify and open a signed bundle of 100 000 credentials, the work a gateway does
 * when a full bundle arrives (the gateway's own index is in gateway/bench). Reports wall time per
 * phase and the heap the opened bundle holds, in the wire's compact form (what the gateway
 * indexes) and expanded to one object per credential (what `openBundle` gives tools and tests).
 *
 *     npm run bench -w protocol
 */
import { createPrivateKey } from "node:crypto";
import { arch, cpus, totalmem } from "node:os";
import {
  type BundleCredential,
  credentialCount as countOf,
  credentialHash,
  type FullBundle,
  generateCredentialSalt,
  generateSigningKeyPair,
  openBundle,
  openCompactBundle,
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

const openOptions = { trustedKeys, heldVersion: 41, now, centre: "louvain-la-neuve" };

interface Round {
  signature: number;
  compact: number;
  expanded: number;
  compactHeld: number;
  expandedHeld: number;
}

/** Time and heap held by one way of opening the frame; the result stays alive until measured. */
function measure(open: () => { size: number }): { ms: number; held: number } {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const opened = open();
  const elapsed = ms(start);
  globalThis.gc?.();
  const held = process.memoryUsage().heapUsed - heapBefore;
  if (opened.size !== credentialCount) throw new Error("credentials lost");
  return { ms: elapsed, held };
}

const results: Round[] = [];
for (let round = 0; round < rounds; round += 1) {
  const start = process.hrtime.bigint();
  verifyDocument(frame, trustedKeys, 128 * 1024 * 1024);
  const signature = ms(start);
  // Verify + parse + schema + column agreement + version/expiry: what the gateway indexes from.
  const compact = measure(() => {
    const bundle = openCompactBundle(frame, openOptions);
    if (bundle.type !== "bundle.full") throw new Error("expected a full bundle");
    return { size: countOf(bundle.credentials), bundle };
  });
  // The same, expanded to one object per credential and a Map by hash (the old wire's cost).
  const expanded = measure(() => {
    const bundle = openBundle(frame, openOptions);
    if (bundle.type !== "bundle.full") throw new Error("expected a full bundle");
    return new Map<string, BundleCredential>(bundle.credentials.map((c) => [c.hash, c]));
  });
  results.push({
    signature,
    compact: compact.ms,
    expanded: expanded.ms,
    compactHeld: compact.held,
    expandedHeld: expanded.held,
  });
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
  "openCompactBundle: verify + parse + schema + columns + version/expiry (ms)": median(
    results.map((r) => r.compact),
  ).toFixed(1),
  "heap held by the compact bundle (MiB)": mib(median(results.map((r) => r.compactHeld))),
  "openBundle + Map by hash, one object per credential (ms)": median(
    results.map((r) => r.expanded),
  ).toFixed(1),
  "heap held by the expanded bundle + Map (MiB)": mib(median(results.map((r) => r.expandedHeld))),
  "process RSS at the end (MiB; includes building and signing the bundle)": mib(
    process.memoryUsage().rss,
  ),
});
