import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator, sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/auditLog.js";
import { verifyAuditChain } from "../../src/audit/verifyAuditChain.js";
import { migrationProvider, migrations } from "../../src/store/migrations/index.js";
import { openStore, type StoreOptions } from "../../src/store/openStore.js";
import { TestClock } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

/*
 * Upgrades (docs/operations.md "Upgrades"): a database made by the previous version's
 * migrations migrates forward when the new version opens it, keeping every row and a sound
 * audit chain; a database migrated by a newer version is refused with a clear reason.
 */

const engines = await provideEngines();
/** The last migration of the previous version (main before issue 18). */
const previousVersionLast = "0007_account_links";
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describeOnEngines(engines, "upgrade", (harness) => {
  async function emptyDatabase(): Promise<StoreOptions> {
    if (harness.engine === "postgres") {
      const url = await harness.freshDatabaseUrl?.();
      if (url === undefined) throw new Error("no PostgreSQL database");
      return { postgresUrl: url };
    }
    const dataDir = await mkdtemp(join(tmpdir(), "passerelle-upgrade-"));
    dirs.push(dataDir);
    return { dataDir };
  }

  /** A database as the previous version left it: its migrations only, with rows in it. */
  async function previousVersionDatabase(): Promise<StoreOptions> {
    const options = await emptyDatabase();
    const store = await openStore({ ...options, migrate: false });
    try {
      const migrator = new Migrator({ db: store.db, provider: migrationProvider });
      const { error } = await migrator.migrateTo(previousVersionLast);
      if (error !== undefined) throw error;
      await sql`insert into centres (id, name, time_zone, opening_hours, closed_dates, capacity, hourly_rate_cents, currency, booking_grace_minutes, no_show_release_minutes, room_buffer_minutes, rounding_step_minutes, inactivity_limit_minutes, edit_window_minutes, no_exit_policy, no_exit_minutes, rounding_mode, created_at, updated_at)
        values ('redu', 'Redu', 'Europe/Brussels', '[]', '[]', 40, 450, 'EUR', 15, 30, 10, 15, 720, 1440, 'last-seen', 30, 'session-up', 0, 0)`.execute(
        store.db,
      );
      await sql`insert into access_events (id, gateway_id, seq, centre_id, time, received_at, type) values ('e1', 'redu-1', 1, 'redu', 1764000000000, 1764000000500, 'door.opened')`.execute(
        store.db,
      );
      const log = new AuditLog(store, new TestClock(1_764_000_000_000));
      for (const n of [1, 2, 3]) {
        await store.write((trx) =>
          log.recordChange(
            { actor: "cli:old", action: "test.append", subject: `thing:${n}`, detail: { n } },
            trx,
          ),
        );
      }
    } finally {
      await store.close();
    }
    return options;
  }

  it("migrates a previous version's database forward at open, keeping its rows and audit chain", async () => {
    const options = await previousVersionDatabase();
    const store = await openStore(options);
    try {
      const applied = await sql<{
        name: string;
      }>`select name from kysely_migration order by name`.execute(store.db);
      expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
      expect(await store.db.selectFrom("access_events").select(["id", "seq"]).execute()).toEqual([
        { id: "e1", seq: 1 },
      ]);
      expect(await store.db.selectFrom("centres").select("id").execute()).toEqual([{ id: "redu" }]);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: 3 });
      // The new tables are there and empty: nothing was archived by the old version.
      expect(await store.db.selectFrom("audit_checkpoints").selectAll().execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("refuses a database migrated by a newer version, naming the unknown migration", async () => {
    const options = await emptyDatabase();
    const store = await openStore(options);
    await sql`insert into kysely_migration (name, timestamp) values ('0099_from_the_future', '2030-01-01T00:00:00.000Z')`.execute(
      store.db,
    );
    await store.close();
    await expect(openStore(options)).rejects.toMatchObject({
      code: "schema-too-new",
      message: expect.stringContaining(
        `migrated by a newer version of Passerelle (migration 0099_from_the_future unknown here; this version knows up to ${Object.keys(migrations).at(-1)})`,
      ),
    });
    // Refused before anything was written: the future migration is still the only unknown one.
    const raw = await openStore({ ...options, migrate: false });
    try {
      const names = await sql<{ name: string }>`select name from kysely_migration`.execute(raw.db);
      expect(names.rows.map((row) => row.name)).toContain("0099_from_the_future");
    } finally {
      await raw.close();
    }
  });
});
