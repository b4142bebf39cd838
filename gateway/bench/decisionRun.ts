/**
 * The gateway's side of decision.bench.ts, in a fresh process: read a signed frame, verify and
 * index it, then time a million decisions. Arguments: the directory decision.bench.ts wrote, and
 * the start of the bundle's week (epoch ms).
 */
import { readFileSync } from "node:fs";
import { arch, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { openCompactBundle, trustedKeysFromPem } from "@passerelle/protocol";
import { handleBadge } from "../src/access/badgeFlow.js";
import { buildIndex } from "../src/decision/accessIndex.js";
import { decide } from "../src/decision/decide.js";
import { DoorController } from "../src/doorControl/doorController.js";
import type { DoorInput, LockOutput } from "../src/hardware/ports.js";

const [directory = "", startArg = "0"] = process.argv.slice(2);
const start = Number(startArg);
const decisions = Number(process.env.BENCH_DECISIONS ?? 1_000_000);
const frame = readFileSync(join(directory, "bundle.frame"));
const trustedKeys = trustedKeysFromPem([readFileSync(join(directory, "public.pem"), "utf8")]);
const hashes = JSON.parse(readFileSync(join(directory, "hashes.json"), "utf8")) as string[];

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
globalThis.gc?.();
const rssBeforeBundle = process.memoryUsage().rss;
const t = process.hrtime.bigint();
const opened = openCompactBundle(frame, {
  trustedKeys,
  heldVersion: null,
  now: start,
  centre: "louvain-la-neuve",
});
if (opened.type !== "bundle.full") throw new Error("expected a full bundle");
const index = buildIndex(opened);
const verifyIndexMs = Number(process.hrtime.bigint() - t) / 1e6;
// What a gateway holds once the bundle is in force: the parsed body is garbage by now.
globalThis.gc?.();
const rssIndexed = process.memoryUsage().rss;
const heapIndexed = process.memoryUsage().heapUsed;
// The high-water mark so far: the parse of the body, which the service's memory cap must allow.
// VmHWM is this process's own (ru_maxrss would carry the parent's over fork + exec).
const peakRssKiB = Number(
  /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0,
);

const times = Array.from({ length: 4096 }, (_, i) => start + ((i * 104_729) % (7 * 86_400_000)));
let samples = new Float64Array(decisions);
let granted = 0;
for (let i = 0; i < decisions; i += 1) {
  const request = {
    credentialHash: hashes[i & 4095] as string,
    doorId: "main",
    now: times[(i * 31) & 4095] as number,
    clockTrusted: true,
  };
  const before = process.hrtime.bigint();
  const result = decide(request, index);
  samples[i] = Number(process.hrtime.bigint() - before);
  if (result.decision === "granted") granted += 1;
}
samples.sort();
const percentile = (p: number) =>
  (samples[Math.min(samples.length - 1, Math.floor(samples.length * p))] ?? 0) / 1000;
const decisionP = [percentile(0.5), percentile(0.99), percentile(0.999)];
samples = new Float64Array(0); // the bench's own 8 MB, not the gateway's
// Card event to relay command: a presentation goes through the badge flow (hash, decision) and
// the door controller to the lock output's set(true). The event record (outbox) comes after the
// relay and is left out, as is the lock's own I/O.
let relayAt = 0n;
const lockOutput: LockOutput = {
  id: "bench-lock",
  start: async () => {},
  stop: async () => {},
  set: async (unlocked) => {
    if (unlocked) relayAt = process.hrtime.bigint();
  },
  state: () => null,
};
const contactListeners: ((active: boolean, at: number) => void)[] = [];
let contactLevel = false;
const contactInput: DoorInput = {
  id: "bench-contact",
  start: async () => {},
  stop: async () => {},
  read: () => contactLevel,
  onChange: (listener) => {
    contactListeners.push(listener);
    return () => {};
  },
};
const setContact = (open: boolean) => {
  contactLevel = open;
  for (const listener of contactListeners) listener(open, Date.now());
};
const door = new DoorController({
  id: "main",
  lock: lockOutput,
  contact: contactInput,
  unlockMs: 500,
  record: () => {},
  ownsHardware: false,
});
await door.start();
const grantedUids = Array.from({ length: 512 }, (_, i) =>
  Buffer.from(((i * 3 + 1000) * 3).toString(16).padStart(14, "0"), "hex"),
);
const relaySamples: number[] = [];
for (let i = 0; i < 20_000; i += 1) {
  relayAt = 0n;
  const presentedAt = process.hrtime.bigint();
  const result = handleBadge(
    {
      centre: "louvain-la-neuve",
      door: { id: "main", direction: "in" },
      currentIndex: () => index,
      clockTrusted: () => true,
      now: () => start + 9 * 3_600_000,
      unlock: () => door.grant(),
      record: () => {},
    },
    { readerId: "bench", uid: grantedUids[i & 511] as Buffer, at: 0 },
  );
  if (result.decision === "granted" && relayAt > 0n)
    relaySamples.push(Number(relayAt - presentedAt));
  setContact(true);
  setContact(false); // the door opened and closed: it relocks, so the next grant pulses again
}
await door.stop();
relaySamples.sort((a, b) => a - b);
const relayP = (p: number) =>
  ((relaySamples[Math.floor(relaySamples.length * p)] ?? 0) / 1000).toFixed(1);
globalThis.gc?.();
const rssAfterDecisions = process.memoryUsage().rss;

console.log(
  `gateway decision benchmark — ${cpus()[0]?.model ?? "cpu"} ×${cpus().length}, ${arch()}, ${Math.round(totalmem() / 2 ** 20)} MiB, node ${process.version}`,
);
console.log(
  `credentials: ${index.credentials.size}, frame: ${(frame.length / 2 ** 20).toFixed(1)} MiB, decisions: ${decisions} (${Math.round((granted / decisions) * 100)}% granted)`,
);
console.table({
  "bundle verify + index, cold (ms)": verifyIndexMs.toFixed(0),
  "decision p50 (µs)": decisionP[0]?.toFixed(2),
  "decision p99 (µs)": decisionP[1]?.toFixed(2),
  "decision p99.9 (µs)": decisionP[2]?.toFixed(2),
  [`card event → relay command p50 (µs, ${relaySamples.length} grants)`]: relayP(0.5),
  "card event → relay command p99 (µs)": relayP(0.99),
  "process RSS before the bundle (MiB)": mib(rssBeforeBundle),
  "peak RSS, verify + index (MiB)": mib(peakRssKiB * 1024),
  "process RSS after verify + index, GC (MiB)": mib(rssIndexed),
  "heap used after GC, index held (MiB)": mib(heapIndexed),
  // Includes the young generation grown by a million decisions in a row, which a door never sees.
  "process RSS after the decisions (MiB)": mib(rssAfterDecisions),
});
