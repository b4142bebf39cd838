/**
 * The audit log at a million entries, on SQLite and (when the testkit can provide one)
 * PostgreSQL. Run: `npm run bench:audit` in cloud/ (AUDIT_ROWS=… to change the size).
 *
 * 1. append 1 000 000 chained entries through AuditLog.append (the production path: chain
 *    hashing, 500-row INSERTs, the chain head updated), 20 000 per transaction;
 * 2. start the cloud in a child process on that database and download GET /audit.csv over
 *    HTTP, reading the body and dropping it (as to /dev/null), while sampling the child's
 *    resident set size from /proc/<pid>/status every 20 ms, and reading the kernel's
 *    high-water mark (VmHWM) after it. Not getrusage's ru_maxrss: Linux carries it across
 *    fork and exec, so a child forked from this bench (300 MB after the fill) reports the
 *    bench's size, not its own;
 * 3. POST /audit/verify over the same million entries, sampled the same way.
 * Before all that, on the same database: what the audit append costs an ingest commit.
 * Goal (issue 6): the export's peak memory under 150 MB.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeMessage } from "@passerelle/protocol";
import { provideService, serviceOf } from "@passerelle/testkit";
import { sql } from "kysely";
import pg from "pg";
import { AccessEventStore } from "../src/adapters/accessEventStore.js";
import { AuditLog } from "../src/audit/auditLog.js";
import type { AuditRecord } from "../src/audit/auditRecord.js";
import { systemClock } from "../src/domain/serviceDeps.js";
import { openStore, type StoreOptions } from "../src/store/openStore.js";
import { eventsBatch } from "./eventsBatch.js";

const ROWS = Number(process.env.AUDIT_ROWS ?? 1_000_000);
const ENGINES = (process.env.AUDIT_ENGINES ?? "sqlite,postgres").split(",");
/**
 * Node flags of the measured cloud, one run per set, ";"-separated: by default as is, then
 * with V8's heap bounded (otherwise it grows lazily far past what is live: young generation
 * up to 3 × 16 MB semi-spaces, old generation until the next major GC).
 */
const flagSets = (
  process.env.AUDIT_NODE_FLAGS ?? ";--max-old-space-size=96 --max-semi-space-size=4"
)
  .split(";")
  .map((set) => set.split(" ").filter(Boolean));
const serverScript = new URL("../dist/bench/auditExportServer.js", import.meta.url).pathname;
const PER_TRANSACTION = 20_000;
const MB = 1024 * 1024;

interface Result {
  engine: string;
  insertSeconds: number;
  ingest: { without: number; with: number };
  exportSeconds: number;
  exportBytes: number;
  exportLines: number;
  idleRss: number;
  startupPeak: number;
  exportPeakRss: number;
  verifySeconds: number;
  verifyPeakRss: number;
  peakAfterExport: number;
  lifetimePeak: number;
}

/** A deterministic mix: 80 % access decisions, 5 % door alarms, 15 % admin changes. */
function recordAt(n: number): AuditRecord {
  const centre = `centre-${String(n % 20).padStart(2, "0")}`;
  const member = `member-${String((n * 7919) % 50_000).padStart(5, "0")}`;
  const at = Date.parse("2026-01-01T07:00:00Z") + n * 2_000;
  const kind = n % 20;
  if (kind < 16) {
    const granted = kind < 13;
    return {
      at,
      actor: `gateway:${centre}-gw`,
      action: "access",
      subject: `event:0193${n.toString(16).padStart(28, "0")}`,
      centreId: centre,
      memberId: member,
      doorId: `${centre}-door-${n % 3}`,
      outcome: granted ? "granted" : "denied",
      detail: {
        seq: n,
        direction: "in",
        reason: granted ? "pass" : "outside-window",
        credential: "k3JX9v0Q2m7f1u8c6Wz4bYtH5s0pLdAeRgNqCiVxKoE",
        bundleVersion: 42,
        receivedAt: new Date(at + 150).toISOString(),
      },
    };
  }
  if (kind === 16) {
    return {
      at,
      actor: `gateway:${centre}-gw`,
      action: "door.held-open",
      subject: `event:0193${n.toString(16).padStart(28, "0")}`,
      centreId: centre,
      memberId: null,
      doorId: `${centre}-door-${n % 3}`,
      outcome: "alarm",
      detail: { seq: n, receivedAt: new Date(at + 150).toISOString() },
    };
  }
  return {
    at,
    actor: `user:0193staff${n % 40}`,
    action: "booking.create",
    subject: `booking:0193${n.toString(16).padStart(28, "0")}`,
    centreId: centre,
    memberId: member,
    doorId: null,
    outcome: null,
    detail: {
      member,
      resource: `${centre}-desk-${n % 30}`,
      start: new Date(at + 86_400_000).toISOString(),
      end: new Date(at + 86_400_000 + 4 * 3_600_000).toISOString(),
    },
  };
}

/**
 * What appending decisions to the audit log costs the ingest: AccessEventStore.storeBatch of
 * 2 000 access events per commit (the group commit's default size), without and with the audit
 * log, on the same database; events per second over ten commits each, after a warm-up pass.
 */
async function ingestCost(options: StoreOptions): Promise<{ without: number; with: number }> {
  const store = await openStore(options);
  const rate = async (sink: AccessEventStore, gateway: number) => {
    const started = performance.now();
    for (let commit = 0; commit < 10; commit += 1) {
      // Four messages of 500 (the protocol's most per message), committed together.
      const batches = [0, 1, 2, 3].map((part) => {
        const message = eventsBatch("bench", commit * 2_000 + part * 500 + 1, 500, gateway);
        const { events } = decodeMessage("events", message);
        return { gatewayId: `gw-${gateway}`, centreId: "bench", events };
      });
      await sink.storeBatch(batches);
    }
    return 20_000 / ((performance.now() - started) / 1000);
  };
  const plain = new AccessEventStore(store, systemClock);
  const audited = new AccessEventStore(store, systemClock, new AuditLog(store, systemClock));
  // A first pass of each warms the caches and query plans; the second is measured.
  await rate(plain, 1);
  await rate(audited, 2);
  const without = await rate(plain, 3);
  const withAudit = await rate(audited, 4);
  await store.close();
  return { without, with: withAudit };
}

async function fill(options: StoreOptions): Promise<number> {
  const store = await openStore(options);
  // A bulk load's one tuning: SQLite's page cache (2 MB by default) holds the five indexes'
  // hot pages, instead of re-reading them for every row. The cloud itself runs with defaults.
  if (store.engine === "sqlite") await sql`pragma cache_size = -262144`.execute(store.db);
  const log = new AuditLog(store, systemClock);
  const started = performance.now();
  for (let first = 0; first < ROWS; first += PER_TRANSACTION) {
    const records: AuditRecord[] = [];
    for (let n = first; n < Math.min(ROWS, first + PER_TRANSACTION); n += 1) {
      records.push(recordAt(n));
    }
    await store.write((trx) => log.append(trx, records));
    if ((first + PER_TRANSACTION) % 100_000 === 0) {
      const rate = (first + PER_TRANSACTION) / ((performance.now() - started) / 1000);
      console.log(`  ${(first + PER_TRANSACTION).toLocaleString("en")} (${Math.round(rate)}/s)`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return seconds;
}

/** VmRSS: resident now; VmHWM: the peak so far (the kernel's high-water mark). */
function rssOf(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kiB = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return kiB * 1024;
}

/** Runs `work` while sampling the child's RSS; returns its result, seconds and the peak. */
async function sampled<T>(pid: number, work: () => Promise<T>) {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    return { result, seconds: (performance.now() - started) / 1000, peak };
  } finally {
    clearInterval(timer);
    peak = Math.max(peak, rssOf(pid));
  }
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`cloud exited with ${code}`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function measure(engine: string, options: StoreOptions, dataDir: string): Promise<Result[]> {
  console.log(`[${engine}] ingest commits without and with the audit log…`);
  const ingest = await ingestCost(options);
  console.log(`[${engine}] appending ${ROWS.toLocaleString("en")} audit entries…`);
  const insertSeconds = await fill(options);
  console.log(`[${engine}] appended in ${insertSeconds.toFixed(1)} s`);
  const results: Result[] = [];
  for (const flags of flagSets) {
    const label = flags.length === 0 ? engine : `${engine} ${flags.join(" ")}`;
    console.log(`[${label}] exporting and verifying`);
    const measured = await exportAndVerify(options, dataDir, flags);
    results.push({ ...measured, engine: label, insertSeconds, ingest });
  }
  return results;
}

async function exportAndVerify(
  options: StoreOptions,
  dataDir: string,
  flags: readonly string[],
): Promise<Omit<Result, "engine" | "insertSeconds" | "ingest">> {
  // The compiled cloud (`tsc -b` runs first in bench:audit), as in production: under tsx the
  // loader and its transpile cache add some 35 MB that a deployed cloud does not carry.
  const child = fork(
    serverScript,
    [dataDir, ...("postgresUrl" in options ? [options.postgresUrl] : [])],
    { execArgv: [...flags], stdio: "inherit" },
  );
  const pid = child.pid as number;
  try {
    const ready = await nextMessage<{ url: string; token: string }>(child, "ready");
    const headers = { authorization: `Bearer ${ready.token}` };
    // Let start-up garbage settle before calling it idle.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idleRss = rssOf(pid);
    const startupPeak = rssOf(pid, "VmHWM");

    const exported = await sampled(pid, async () => {
      const response = await fetch(`${ready.url}/api/v1/audit.csv`, { headers });
      if (response.status !== 200 || response.body === null) {
        throw new Error(`export answered ${response.status}`);
      }
      let bytes = 0;
      let lines = 0;
      for await (const chunk of response.body) {
        bytes += chunk.byteLength;
        const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        for (let at = buffer.indexOf(0x0a); at !== -1; at = buffer.indexOf(0x0a, at + 1)) {
          lines += 1;
        }
      }
      return { bytes, lines };
    });
    // The header, every appended entry, and the few the bench login itself wrote.
    if (exported.result.lines < ROWS + 1) {
      throw new Error(`export held ${exported.result.lines} lines for ${ROWS} entries`);
    }
    const peakAfterExport = rssOf(pid, "VmHWM");

    const verified = await sampled(pid, async () => {
      const response = await fetch(`${ready.url}/api/v1/audit/verify`, {
        method: "POST",
        headers,
      });
      return (await response.json()) as { ok: boolean; checked: number };
    });
    if (!verified.result.ok || verified.result.checked < ROWS) {
      throw new Error(`verify said ${JSON.stringify(verified.result)}`);
    }

    return {
      exportSeconds: exported.seconds,
      exportBytes: exported.result.bytes,
      exportLines: exported.result.lines,
      idleRss,
      startupPeak,
      exportPeakRss: exported.peak,
      verifySeconds: verified.seconds,
      verifyPeakRss: verified.peak,
      peakAfterExport,
      lifetimePeak: rssOf(pid, "VmHWM"),
    };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.send({ type: "stop" });
    await exited;
  }
}

async function sqlite(): Promise<Result[]> {
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-audit-bench-"));
  try {
    return await measure("SQLite", { dataDir }, dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<Result[]> {
  const provision = await provideService("postgres");
  if (!provision.available) {
    console.log(`PostgreSQL skipped: ${provision.reason}`);
    return [];
  }
  const service = serviceOf(provision);
  const database = `audit_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: service.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(service.url);
  url.pathname = `/${database}`;
  // The cloud keeps its signing key in dataDir, whatever the database.
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-audit-bench-pg-"));
  try {
    return await measure("PostgreSQL", { postgresUrl: url.toString() }, dataDir);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    await service.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (!existsSync(serverScript)) throw new Error(`${serverScript} missing: run tsc -b first`);
const results: Result[] = [];
if (ENGINES.includes("sqlite")) results.push(...(await sqlite()));
if (ENGINES.includes("postgres")) results.push(...(await postgres()));
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
console.log(`\naudit log, ${ROWS.toLocaleString("en")} entries — Node ${process.version}\n`);
console.log(`| measure | ${results.map((r) => r.engine).join(" | ")} |`);
console.log(`|---|${results.map(() => "---|").join("")}`);
const line = (label: string, cell: (r: Result) => string) =>
  console.log(`| ${label} | ${results.map(cell).join(" | ")} |`);
line(
  "ingest, 2 000 access events per commit: events/s without → with audit",
  (r) =>
    `${Math.round(r.ingest.without).toLocaleString("en")} → ${Math.round(r.ingest.with).toLocaleString("en")}`,
);
line(
  "append (chain + insert), entries/s",
  (r) =>
    `${Math.round(ROWS / r.insertSeconds).toLocaleString("en")} (${r.insertSeconds.toFixed(0)} s)`,
);
line(
  "GET /audit.csv, whole log",
  (r) =>
    `${r.exportSeconds.toFixed(1)} s, ${mb(r.exportBytes)} (${Math.round(r.exportLines / r.exportSeconds).toLocaleString("en")} rows/s)`,
);
line(
  "cloud RSS idle → sampled peak during export",
  (r) => `${mb(r.idleRss)} → ${mb(r.exportPeakRss)}`,
);
line("cloud peak RSS since start, after the export (VmHWM)", (r) => mb(r.peakAfterExport));
line(
  "POST /audit/verify, whole chain",
  (r) => `${r.verifySeconds.toFixed(1)} s, peak RSS ${mb(r.verifyPeakRss)}`,
);
line("cloud start-up peak (VmHWM when ready)", (r) => mb(r.startupPeak));
line("cloud peak RSS since start, after verify (VmHWM)", (r) => mb(r.lifetimePeak));
