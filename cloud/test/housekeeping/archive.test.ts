import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { sql } from "kysely";
import { afterEach, beforeEach, expect, it } from "vitest";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { AuditLog } from "../../src/audit/auditLog.js";
import { verifyAuditChain } from "../../src/audit/verifyAuditChain.js";
import { runArchive } from "../../src/housekeeping/runArchive.js";
import { verifyAuditArchive } from "../../src/housekeeping/verifyAuditArchive.js";
import type { Store } from "../../src/store/openStore.js";
import { TestClock } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

/*
 * Archive runs on both engines: events and audit entries past their retention leave for
 * monthly NDJSON files, the chain verifies from the checkpoint, the files verify offline.
 */

const engines = await provideEngines();
const runAt = Date.parse("2026-12-03T02:00:00Z");
// Keeps Dec 2026 and the 3 months before: events dated before 2026-09-01 leave.
const rules = { accessEventMonths: 3, auditMonths: 6 };

let outDir: string;
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), "passerelle-archive-"));
});
afterEach(() => rm(outDir, { recursive: true, force: true }));

let seq = 0;
/** Door alarms (audited) dated on the given days, ingested as a gateway would send them. */
async function ingest(store: Store, clock: TestClock, days: readonly string[]): Promise<void> {
  const sink = new AccessEventStore(store, clock, new AuditLog(store, clock));
  const events: GatewayEvent[] = days.map((day) => {
    seq += 1;
    return {
      id: uuidv7(),
      seq,
      time: `${day}T10:00:00.000Z`,
      type: "door.forced-open",
      centre: "redu",
      door: "redu-main",
    };
  });
  await sink.storeBatch([{ gatewayId: "redu-1", centreId: "redu", events }]);
}

async function count(store: Store, table: "access_events" | "audit_log"): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeOnEngines(engines, "archive", (harness) => {
  it("moves old months to files, keeps the chain verifiable from its checkpoint and the files verifiable offline", async () => {
    const store = await harness.freshStore();
    const clock = new TestClock(Date.parse("2026-11-30T12:00:00Z"));
    seq = 0;
    await ingest(store, clock, ["2025-01-15", "2025-01-20", "2025-06-01", "2026-05-31"]);
    await ingest(store, clock, ["2026-07-04", "2026-08-31", "2026-09-01", "2026-11-29"]);
    // A late event from a gateway that was offline: old date, high audit id.
    await ingest(store, clock, ["2025-02-10"]);
    expect(await count(store, "audit_log")).toBe(9);

    const dry = await runArchive({
      store,
      outDir,
      rules,
      now: runAt,
      actor: "cli:test",
      dryRun: true,
    });
    expect(dry.eventMonths).toEqual([
      "2025-01",
      "2025-02",
      "2025-06",
      "2026-05",
      "2026-07",
      "2026-08",
    ]);
    expect(await readdir(outDir)).toEqual([]);

    const report = await runArchive({ store, outDir, rules, now: runAt, actor: "cli:test" });
    expect(report.deletedEvents).toBe(7);
    // The audit cut: before the first entry dated on or after 2026-06-01 (entry 5, July 2026).
    expect(report.audit.upToId).toBe(4);
    expect(report.deletedAuditEntries).toBe(4);
    expect(report.checkpoint?.id).toBe(4);

    const remaining = await store.db
      .selectFrom("access_events")
      .select("time")
      .orderBy("time")
      .execute();
    expect(remaining.map((r) => new Date(Number(r.time)).toISOString().slice(0, 10))).toEqual([
      "2026-09-01",
      "2026-11-29",
    ]);
    const files = (await readdir(outDir)).sort();
    expect(files).toEqual([
      "access-events-2025-01.ndjson",
      "access-events-2025-02.ndjson",
      "access-events-2025-06.ndjson",
      "access-events-2026-05.ndjson",
      "access-events-2026-07.ndjson",
      "access-events-2026-08.ndjson",
      expect.stringMatching(/^archive-manifest-2026-12-03T02-00-00-000Z\.json$/),
      "audit-2025-01.ndjson",
      "audit-2025-06.ndjson",
      "audit-2026-05.ndjson",
    ]);
    const january = (await readFile(join(outDir, "access-events-2025-01.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(january[0]).toEqual({
      archive: "passerelle-access-events",
      version: 1,
      month: "2025-01",
    });
    expect(january.slice(1).map((row) => row.seq)).toEqual([1, 2]);

    // The database's chain starts after the checkpoint, vouched for by the audit.archive entry.
    const verified = await verifyAuditChain(store.db);
    expect(verified).toMatchObject({ ok: true, startsAfter: report.checkpoint });
    expect(verified.checked).toBe(6); // 5 remaining door alarms + the archive entry
    const archiveEntry = await store.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "audit.archive")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(archiveEntry.detail)).toMatchObject({
      upToId: 4,
      upToHash: report.checkpoint?.hash,
    });

    // The files verify offline and end exactly where the database's chain starts.
    const offline = await verifyAuditArchive(outDir);
    expect(offline).toMatchObject({ ok: true, files: 3, entries: 4, endsAt: report.checkpoint });

    // A second run later archives the rest, chaining from the first checkpoint.
    const secondOut = await mkdtemp(join(tmpdir(), "passerelle-archive-2-"));
    try {
      const later = Date.parse("2027-03-02T02:00:00Z");
      const second = await runArchive({
        store,
        outDir: secondOut,
        rules: { accessEventMonths: 3, auditMonths: 3 },
        now: later,
        actor: "cli:test",
      });
      expect(second.eventMonths).toEqual(["2026-09", "2026-11"]);
      expect(second.audit.startsAfter).toEqual(report.checkpoint);
      expect(await verifyAuditChain(store.db)).toMatchObject({
        ok: true,
        startsAfter: second.checkpoint,
      });
      expect(await verifyAuditArchive(secondOut, report.checkpoint)).toMatchObject({
        ok: true,
        endsAt: second.checkpoint,
      });
    } finally {
      await rm(secondOut, { recursive: true, force: true });
    }
  });

  it("reports a checkpoint nobody vouched for, an altered checkpoint, and an altered archive file", async () => {
    const store = await harness.freshStore();
    const clock = new TestClock(Date.parse("2026-11-30T12:00:00Z"));
    seq = 0;
    await ingest(store, clock, ["2025-01-15", "2025-03-01", "2026-11-02"]);
    const report = await runArchive({ store, outDir, rules, now: runAt, actor: "cli:test" });
    expect(report.checkpoint?.id).toBe(2);

    // Someone deletes entry 3 and slips in a checkpoint to hide it: no audit.archive names it.
    const entry3 = await store.db
      .selectFrom("audit_log")
      .select("hash")
      .where("id", "=", 3)
      .executeTakeFirstOrThrow();
    await sql`delete from audit_log where id = 3`.execute(store.db);
    await store.db
      .insertInto("audit_checkpoints")
      .values({
        last_id: 3,
        last_hash: entry3.hash,
        archived_at: runAt,
        archived_by: "cli:mallory",
      })
      .execute();
    expect(await verifyAuditChain(store.db)).toMatchObject({
      ok: false,
      firstBroken: { id: 4, reason: "checkpoint-unvouched" },
    });
    await sql`delete from audit_checkpoints where last_id = 3`.execute(store.db);
    // Without the forged checkpoint the deletion shows as a broken link.
    expect(await verifyAuditChain(store.db)).toMatchObject({
      ok: false,
      firstBroken: { id: 4, reason: "broken-prev-link" },
    });

    // An edited archive file no longer verifies offline.
    const name = "audit-2025-03.ndjson";
    const path = join(outDir, name);
    const text = await readFile(path, "utf8");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path, text.replace('"actor":"gateway:redu-1"', '"actor":"gateway:redu-2"'));
    expect(await verifyAuditArchive(outDir)).toMatchObject({
      ok: false,
      problem: `${name}: entry 2 is broken (hash)`,
    });
  });

  it("refuses to archive events that hold hours of a month not closed", async () => {
    const store = await harness.freshStore();
    const clock = new TestClock(Date.parse("2026-11-30T12:00:00Z"));
    seq = 0;
    await ingest(store, clock, ["2025-01-15"]);
    await sql`insert into sessions (id, member_id, centre_id, started_at, ended_at, last_seen_at, held_until, close_reason, rule_close_reason, confirmed, open_event_id, local_date, month, duration_ms, computed_minutes, billable_minutes, effective_ms)
      values ('s1', 'm1', 'redu', ${Date.parse("2025-01-15T10:00:00Z")}, ${Date.parse("2025-01-15T12:00:00Z")}, ${Date.parse("2025-01-15T10:00:00Z")}, ${Date.parse("2025-01-15T12:00:00Z")}, 'exit', 'exit', 1, 'e1', '2025-01-15', '2025-01', 7200000, 120, 120, 7200000)`.execute(
      store.db,
    );
    await expect(
      runArchive({ store, outDir, rules, now: runAt, actor: "cli:test" }),
    ).rejects.toThrow(/access events of 2025-01 hold hours of a month not closed yet/);
    expect(await count(store, "access_events")).toBe(1);
    await sql`insert into month_closes (month, closed_at, closed_by, content_hash, statement) values ('2025-01', ${runAt}, 'user:admin', 'x', '{}')`.execute(
      store.db,
    );
    const report = await runArchive({ store, outDir, rules, now: runAt, actor: "cli:test" });
    expect(report.deletedEvents).toBe(1);
    // Sessions are kept: only the events they were built from left.
    expect(await store.db.selectFrom("sessions").select("id").execute()).toEqual([{ id: "s1" }]);
  });
});
