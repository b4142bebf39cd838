/**
 * Durable outbox benchmark: events appended per second, each committed (WAL, synchronous=FULL)
 * before `append` returns, as the gateway does on every badge and door transition.
 *
 *     npm run bench:outbox -w gateway
 *     BENCH_DIR=/var/lib/passerelle-gateway BENCH_EVENTS=20000 npm run bench:outbox -w gateway
 *
 * BENCH_DIR should be on the disk the gateway will use (an SD card is far slower than an SSD):
 * the figure is the disk's fsync rate more than anything in this code.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import Database from "better-sqlite3";
import { EventOutbox } from "../src/eventOutbox/eventOutbox.js";

const events = Number(process.env.BENCH_EVENTS ?? 20_000);
const batchSize = 200;
const goalPerSecond = 2000;

const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), "passerelle-outbox-bench-"));
const path = join(dir, "outbox.db");

function event(n: number): Omit<GatewayEvent, "seq"> {
  const time = Date.now();
  return {
    id: uuidv7(time),
    time: new Date(time).toISOString(),
    type: "access",
    centre: "redu",
    door: "main",
    direction: "in",
    credential: "q1w2e3r4t5y6u7i8o9p0aA",
    member: `m-${n % 5000}`,
    decision: "granted",
    reason: "pass",
    bundleVersion: 42,
  };
}

function filesystemOf(directory: string): string {
  const df = spawnSync("df", ["-T", directory], { encoding: "utf8" });
  const line = df.stdout?.trim().split("\n")[1];
  return line ? `${line.split(/\s+/)[1]} (${line.split(/\s+/)[0]})` : "unknown";
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

const outbox = new EventOutbox({ path, capacity: events * 2 });
const latencies = new Float64Array(events);
const started = process.hrtime.bigint();
for (let n = 0; n < events; n++) {
  const t = process.hrtime.bigint();
  outbox.append(event(n));
  latencies[n] = Number(process.hrtime.bigint() - t) / 1e3;
}
const appendSeconds = Number(process.hrtime.bigint() - started) / 1e9;
if (outbox.health().lastError !== null)
  throw new Error(`writes failed: ${outbox.health().lastError}`);

// The uplink's side: read a batch, then delete it on the cloud's ack.
const drainStarted = process.hrtime.bigint();
let drained = 0;
for (;;) {
  const batch = outbox.nextBatch(batchSize);
  const last = batch.at(-1);
  if (!last) break;
  drained += batch.length;
  outbox.ack(last.seq);
}
const drainSeconds = Number(process.hrtime.bigint() - drainStarted) / 1e9;
outbox.close();

const sqliteVersion = (() => {
  const db = new Database(":memory:");
  const version = db.prepare("SELECT sqlite_version()").pluck().get();
  db.close();
  return String(version);
})();
rmSync(dir, { recursive: true, force: true });

latencies.sort();
const perSecond = events / appendSeconds;
const cpu = cpus();
console.log(`outbox benchmark — ${new Date().toISOString()}
machine: ${cpu[0]?.model ?? "?"} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}, Node ${process.version}, SQLite ${sqliteVersion}
disk:    ${filesystemOf(process.env.BENCH_DIR ?? tmpdir())} at ${process.env.BENCH_DIR ?? tmpdir()}
command: ${["node", ...process.execArgv, ...process.argv.slice(1)].map((a) => a.replace(`${process.cwd()}/`, "")).join(" ")} (in ${process.cwd()})

durable append (one commit + fsync per event, WAL, synchronous=FULL), ${events} events:
  ${perSecond.toFixed(0)} events/s   (goal > ${goalPerSecond}: ${perSecond > goalPerSecond ? "met" : "NOT met"})
  append latency p50 ${percentile(latencies, 0.5).toFixed(0)} µs, p99 ${percentile(latencies, 0.99).toFixed(0)} µs, max ${percentile(latencies, 1).toFixed(0)} µs
drain (nextBatch ${batchSize} + ack): ${(drained / drainSeconds).toFixed(0)} events/s`);
