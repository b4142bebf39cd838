import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { AuditLog } from "../../src/audit/auditLog.js";
import { verifyAuditChain } from "../../src/audit/verifyAuditChain.js";
import { loadOrCreateSigningKey } from "../../src/bundles/signingKeyFile.js";
import { noHooks, serviceDeps } from "../../src/domain/serviceDeps.js";
import type { BackupManifest } from "../../src/housekeeping/backupManifest.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { openStore, type Store } from "../../src/store/openStore.js";
import { runCloudCli } from "../cli/cliProcess.js";
import {
  admin,
  allDayEveryDay,
  memberWithPass,
  smallCentre,
  TestClock,
} from "../support/fixtures.js";
import { provideEngines } from "../support/storeEngines.js";
import { postgresClientTools, runBackupScript, runTool } from "./backupScriptProcess.js";

/*
 * deploy/cloud/backup.sh, the script of passerelle-backup.service, run as a real process: on
 * SQLite it makes a backup the CLI's `restore` accepts and prunes only its own old backups; on
 * PostgreSQL (the drill of docs/operations.md "PostgreSQL") its pg_dump, taken while a writer
 * keeps committing, restores with pg_restore into a fresh database holding every event,
 * booking and audit entry committed before the backup began, with a sound audit chain.
 */

const engines = await provideEngines();
const postgres = engines.find((harness) => harness.engine === "postgres");
const pgTools = postgresClientTools();
const dirs: string[] = [];
afterAll(async () => {
  for (const harness of engines) await harness.cleanup();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "passerelle-backup-script-"));
  dirs.push(dir);
  return dir;
}

const stampName = /^\d{8}T\d{6}Z$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Door alarms (each audited in its transaction) as a gateway would send them. */
function alarms(from: number, count: number): GatewayEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: uuidv7(),
    seq: from + i,
    time: "2026-03-03T09:00:00.000Z",
    type: "door.forced-open",
    centre: "redu",
    door: "redu-main",
  }));
}

/** The signing key as the cloud makes it, and a retired one as rotate-signing-key keeps it. */
async function signingKeys(dataDir: string): Promise<void> {
  await loadOrCreateSigningKey(dataDir, pino({ level: "silent" }));
  await mkdir(join(dataDir, "retired-signing-keys"), { mode: 0o700 });
  await writeFile(join(dataDir, "retired-signing-keys", "bundle-signing-key.old.pem"), "old", {
    mode: 0o600,
  });
}

/** An old backup of this script's making, or something else an operator keeps beside them. */
async function plant(root: string, name: string, manifest: boolean): Promise<void> {
  await mkdir(join(root, name), { recursive: true });
  if (manifest) await writeFile(join(root, name, "backup-manifest.json"), "{}");
  else await writeFile(join(root, name, "notes.txt"), "mine");
}

async function backupsIn(root: string): Promise<string[]> {
  return (await readdir(root)).filter((name) => stampName.test(name)).sort();
}

describe("backup.sh on SQLite", () => {
  it("makes a backup the CLI restores, then prunes only its own old backups, never the newest", {
    timeout: 60_000,
  }, async () => {
    const root = await tempDir();
    const dataDir = join(root, "data");
    const store = await openStore({ dataDir });
    const clock = new TestClock(Date.parse("2026-03-03T09:00:00Z"));
    await new AccessEventStore(store, clock, new AuditLog(store, clock)).storeBatch([
      { gatewayId: "redu-1", centreId: "redu", events: alarms(1, 5) },
    ]);
    await store.close();
    await signingKeys(dataDir);

    const backupRoot = join(root, "backups");
    await plant(backupRoot, "20200101T000000Z", true); // old, ours: removed
    await plant(backupRoot, "20200102T000000Z.partial", false); // a killed run's: removed
    await plant(backupRoot, "20200103T000000Z", false); // old name, no manifest: not ours
    await plant(backupRoot, "offsite-copy", true); // not a backup name: not ours
    await writeFile(join(backupRoot, "20200104T000000Z"), "a file"); // not a directory
    const env = { PASSERELLE_DATA_DIR: dataDir, PASSERELLE_BACKUP_DIR: backupRoot };

    const first = await runBackupScript(env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const made = (await backupsIn(backupRoot)).filter((name) => name > "2021");
    expect(made).toHaveLength(1);
    expect((await readdir(backupRoot)).sort()).toEqual(
      ["20200103T000000Z", "20200104T000000Z", made[0], "offsite-copy"].sort(),
    );

    const restored = await runCloudCli([
      "restore",
      "--from",
      join(backupRoot, made[0] ?? ""),
      "--data-dir",
      join(root, "restored"),
    ]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/audit chain sound: 5 entries/);

    // A failed backup prunes nothing, even with nothing to keep.
    const failed = await runBackupScript({
      ...env,
      PASSERELLE_DATA_DIR: join(root, "not-a-data-dir"),
      PASSERELLE_BACKUP_KEEP_DAYS: "0",
    });
    expect(failed.code).not.toBe(0);
    expect((await backupsIn(backupRoot)).filter((name) => name > "2021")).toEqual(made);

    // Keeping 0 days keeps the newest only: the one just made.
    await sleep(1_100); // a new second, a new name
    const second = await runBackupScript({ ...env, PASSERELLE_BACKUP_KEEP_DAYS: "0" });
    expect(second.code).toBe(0);
    const now = (await backupsIn(backupRoot)).filter((name) => name > "2021");
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(made[0]);
    expect(second.stdout).toContain(`removed ${join(backupRoot, made[0] ?? "")}`);
    expect(await readdir(backupRoot)).toContain("offsite-copy");
  });
});

describe.skipIf(postgres?.available !== true || pgTools === undefined)(
  "backup.sh on PostgreSQL: the restore drill",
  () => {
    it("dumps while a writer commits; pg_restore into a fresh database has everything committed before, and a sound chain", {
      timeout: 60_000,
    }, async () => {
      const harness = postgres;
      const tools = pgTools;
      if (harness?.freshDatabaseUrl === undefined || tools === undefined) throw new Error("no PG");
      const liveUrl = await harness.freshDatabaseUrl();
      const store = await openStore({ postgresUrl: liveUrl, poolSize: 4 });
      const clock = new TestClock(Date.parse("2026-03-02T07:00:00Z"));
      const auditLog = new AuditLog(store, clock);
      const deps = serviceDeps(store, {
        clock,
        hooks: { ...noHooks, audit: auditLog.recordChange },
      });
      const sink = new AccessEventStore(store, clock, auditLog);
      let restoredStore: Store | undefined;
      try {
        const { desk } = await smallCentre(deps, "redu", allDayEveryDay);
        const member = await memberWithPass(deps, "Ada Drill");
        const root = await tempDir();
        const dataDir = join(root, "data");
        await signingKeys(dataDir);

        // The writer: alarm batches and a booking every fifth round, until told to stop.
        const committed: { events: string[]; booking?: string; at: number }[] = [];
        let writing = true;
        const writer = (async () => {
          for (let round = 0; writing; round += 1) {
            const events = alarms(round * 5 + 1, 5);
            await sink.storeBatch([{ gatewayId: "redu-1", centreId: "redu", events }]);
            let booking: string | undefined;
            if (round % 5 === 0) {
              const start = Date.parse("2026-03-03T00:00:00Z") + round * 3_600_000;
              booking = (
                await createBooking(deps, admin, {
                  resourceId: desk.id,
                  memberId: member.id,
                  start,
                  end: start + 1_800_000,
                })
              ).id;
            }
            committed.push({ events: events.map((e) => e.id), booking, at: Date.now() });
          }
        })();
        while (committed.length < 20) await sleep(20);

        const backupRoot = join(root, "backups");
        const startedAt = Date.now();
        const run = await runBackupScript({
          PASSERELLE_DATA_DIR: dataDir,
          PASSERELLE_BACKUP_DIR: backupRoot,
          PASSERELLE_POSTGRES_URL: liveUrl,
          PASSERELLE_PG_DUMP: tools.pgDump,
        });
        await sleep(200);
        writing = false;
        await writer;
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        const before = committed.filter((round) => round.at <= startedAt);
        expect(committed.length).toBeGreaterThan(before.length); // it wrote during the dump

        // The backup: the dump, the keys, a manifest whose sums match.
        const [made] = await backupsIn(backupRoot);
        const backupDir = join(backupRoot, made ?? "");
        const manifest = JSON.parse(
          await readFile(join(backupDir, "backup-manifest.json"), "utf8"),
        ) as Omit<BackupManifest, "backup"> & { backup: string };
        expect(manifest).toMatchObject({ backup: "passerelle-postgres", version: 1 });
        expect(manifest.files.map((file) => file.path)).toEqual([
          "bundle-signing-key.pem",
          "bundle-signing-key.pub.pem",
          "passerelle.pgdump",
          "retired-signing-keys/bundle-signing-key.old.pem",
        ]);
        for (const file of manifest.files) {
          const content = await readFile(join(backupDir, file.path));
          expect(createHash("sha256").update(content).digest("hex")).toBe(file.sha256);
          expect(content.length).toBe(file.bytes);
        }
        expect(await readFile(join(backupDir, "bundle-signing-key.pem"))).toEqual(
          await readFile(join(dataDir, "bundle-signing-key.pem")),
        );

        // pg_restore into a fresh database, the store opened on it as serve would.
        const restoredUrl = await harness.freshDatabaseUrl();
        await runTool(tools.pgRestore, [
          "--no-owner",
          "--exit-on-error",
          `--dbname=${restoredUrl}`,
          join(backupDir, "passerelle.pgdump"),
        ]);
        restoredStore = await openStore({ postgresUrl: restoredUrl, poolSize: 2 });
        const db = restoredStore.db;
        const eventIds = new Set(
          (await db.selectFrom("access_events").select("id").execute()).map((row) => row.id),
        );
        const bookingIds = new Set(
          (await db.selectFrom("bookings").select("id").execute()).map((row) => row.id),
        );
        expect(before.flatMap((r) => r.events).filter((id) => !eventIds.has(id))).toEqual([]);
        const bookingsBefore = before.flatMap((r) => (r.booking ? [r.booking] : []));
        expect(bookingsBefore.length).toBeGreaterThan(0);
        expect(bookingsBefore.filter((id) => !bookingIds.has(id))).toEqual([]);

        // One snapshot: each restored event's audit entry is there, and no entry without it.
        const audit = await db
          .selectFrom("audit_log")
          .select(["id", "hash", "subject"])
          .orderBy("id")
          .execute();
        const auditedEvents = audit
          .filter((row) => row.subject.startsWith("event:"))
          .map((row) => row.subject.slice("event:".length));
        expect(new Set(auditedEvents)).toEqual(eventIds);
        const verification = await verifyAuditChain(db);
        expect(verification.ok).toBe(true);
        expect(verification.checked).toBe(audit.length);
        // Every restored entry is the live one (same id, same hash).
        const live = await store.db
          .selectFrom("audit_log")
          .select(["id", "hash", "subject"])
          .where("id", "<=", audit.at(-1)?.id ?? 0)
          .orderBy("id")
          .execute();
        expect(audit.map((row) => [Number(row.id), row.hash])).toEqual(
          live.map((row) => [Number(row.id), row.hash]),
        );
        console.info(
          `postgres drill: ${JSON.stringify({
            rounds: committed.length,
            roundsBeforeBackup: before.length,
            eventsRestored: eventIds.size,
            auditEntriesRestored: audit.length,
            bookingsRestored: bookingIds.size,
          })}`,
        );
      } finally {
        await restoredStore?.close();
        await store.close();
      }
    });
  },
);
