import { sql } from "kysely";
import { beforeAll, expect, it } from "vitest";
import { isForeignKeyViolation, isUniqueViolation } from "../../src/store/dbErrors.js";
import { migrations } from "../../src/store/migrations/index.js";
import type { Store } from "../../src/store/openStore.js";
import { credentialSalt } from "../../src/store/settings.js";
import { StoreError } from "../../src/store/storeError.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

const tables = [
  "settings",
  "centres",
  "resources",
  "gateways",
  "doors",
  "door_resources",
  "members",
  "passes",
  "badges",
  "users",
  "staff_roles",
  "auth_tokens",
  "booking_series",
  "bookings",
];

const centreRow = (id: string) => ({
  id,
  name: id,
  time_zone: "Europe/Brussels",
  opening_hours: "[]",
  closed_dates: "[]",
  capacity: 10,
  hourly_rate_cents: 400,
  currency: "EUR",
  booking_grace_minutes: 15,
  no_show_release_minutes: 30,
  room_buffer_minutes: 10,
  rounding_step_minutes: 15,
  inactivity_limit_minutes: 720,
  edit_window_minutes: 1440,
  no_exit_policy: "last-seen" as const,
  no_exit_minutes: 30,
  rounding_mode: "session-up" as const,
  // Past 2^31 and 2^32: must come back as the same JS number from both engines.
  created_at: 1_772_000_000_123,
  updated_at: 1_772_000_000_123,
  archived_at: null,
});

describeOnEngines(engines, "store", (harness) => {
  let store: Store;

  beforeAll(async () => {
    store = await harness.freshStore();
  });

  it("creates every table on a fresh database and records the migrations", async () => {
    const found = (await store.db.introspection.getTables()).map((table) => table.name);
    for (const table of tables) expect(found).toContain(table);
    const applied = await store.db
      .selectFrom("kysely_migration" as never)
      .select(sql<string>`name`.as("name"))
      .execute();
    expect(applied.map((row) => row.name)).toEqual(Object.keys(migrations));
  });

  it("applies nothing when migrated again", async () => {
    expect(await store.migrate()).toEqual([]);
  });

  it("creates the network's credential salt with the schema", async () => {
    const salt = await credentialSalt(store.db);
    expect(salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await credentialSalt(store.db)).toBe(salt);
  });

  it("returns epoch-millisecond instants as exact JS numbers", async () => {
    await store.db.insertInto("centres").values(centreRow("epoch")).execute();
    const row = await store.db
      .selectFrom("centres")
      .select(["created_at", "capacity"])
      .where("id", "=", "epoch")
      .executeTakeFirstOrThrow();
    expect(row.created_at).toBe(1_772_000_000_123);
    expect(typeof row.capacity).toBe("number");
  });

  it("enforces foreign keys", async () => {
    const error = await store.db
      .insertInto("resources")
      .values({
        id: "orphan",
        centre_id: "nowhere",
        kind: "desk",
        name: "Orphan",
        capacity: 1,
        created_at: 0,
        archived_at: null,
      })
      .execute()
      .catch((e: unknown) => e);
    expect(isForeignKeyViolation(error)).toBe(true);
  });

  it("enforces unique keys and check constraints", async () => {
    await store.db.insertInto("centres").values(centreRow("unique")).execute();
    const duplicate = await store.db
      .insertInto("centres")
      .values(centreRow("unique"))
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    await expect(
      store.db
        .insertInto("resources")
        .values({
          id: "bad-kind",
          centre_id: "unique",
          kind: "sofa" as "desk",
          name: "Sofa",
          capacity: 1,
          created_at: 0,
          archived_at: null,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it("allows one live badge per credential hash, and again after revocation", async () => {
    await store.db
      .insertInto("members")
      .values({
        id: "m1",
        name: "M",
        email: "m1@example.org",
        home_centre_id: null,
        language: "fr",
        created_at: 0,
        archived_at: null,
      })
      .execute();
    const badge = (id: string, revokedAt: number | null) => ({
      id,
      member_id: "m1",
      credential_hash: "AAAAAAAAAAAAAAAAAAAAAA",
      label: "card",
      issued_at: 0,
      issued_by: "user:x",
      revoked_at: revokedAt,
      revoked_by: null,
      revoke_reason: null,
      credential_kind: "uid" as const,
      read_counter: null,
      pin_hash: null,
    });
    await store.db.insertInto("badges").values(badge("b1", 5)).execute();
    await store.db.insertInto("badges").values(badge("b2", null)).execute();
    const error = await store.db
      .insertInto("badges")
      .values(badge("b3", null))
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("commits a write transaction and rolls it back when the work throws", async () => {
    await store.write(async (trx) => {
      await trx.insertInto("settings").values({ key: "committed", value: "yes" }).execute();
    });
    await expect(
      store.write(async (trx) => {
        await trx.insertInto("settings").values({ key: "rolled-back", value: "no" }).execute();
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const keys = (await store.db.selectFrom("settings").select("key").execute()).map((r) => r.key);
    expect(keys).toContain("committed");
    expect(keys).not.toContain("rolled-back");
  });

  it("rolls back after a failed statement and stays usable", async () => {
    await expect(
      store.write(async (trx) => {
        await trx.insertInto("settings").values({ key: "dup", value: "1" }).execute();
        await trx.insertInto("settings").values({ key: "dup", value: "2" }).execute();
      }),
    ).rejects.toSatisfy(isUniqueViolation);
    const dup = await store.db
      .selectFrom("settings")
      .select("key")
      .where("key", "=", "dup")
      .execute();
    expect(dup).toEqual([]);
    await store.write(async (trx) => {
      await trx.insertInto("settings").values({ key: "after", value: "ok" }).execute();
    });
  });

  it("refuses a write nested in a write instead of deadlocking", async () => {
    const error = await store
      .write(() => store.write(async () => "inner"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("nested-transaction");
  });

  it("runs concurrent writes one at a time without losing any", async () => {
    await store.db.insertInto("settings").values({ key: "counter", value: "0" }).execute();
    // Read-modify-write: lost updates would show if two transactions interleaved.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.write(async (trx) => {
          const row = await store
            .forUpdate(trx.selectFrom("settings").select("value").where("key", "=", "counter"))
            .executeTakeFirstOrThrow();
          await trx
            .updateTable("settings")
            .set({ value: String(Number(row.value) + 1) })
            .where("key", "=", "counter")
            .execute();
        }),
      ),
    );
    const row = await store.db
      .selectFrom("settings")
      .select("value")
      .where("key", "=", "counter")
      .executeTakeFirstOrThrow();
    expect(row.value).toBe("20");
  });

  if (harness.engine === "postgres") {
    it("retries a transaction that failed to serialise, then reports busy", async () => {
      const serialisationFailure = Object.assign(new Error("could not serialize access"), {
        code: "40001",
      });
      let attempts = 0;
      const result = await store.write(async () => {
        attempts += 1;
        if (attempts < 3) throw serialisationFailure;
        return "done";
      });
      expect(result).toBe("done");
      expect(attempts).toBe(3);
      const error = await store
        .write(async () => {
          throw serialisationFailure;
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe("busy");
    });
  }

  if (harness.engine === "sqlite") {
    it("runs SQLite in WAL mode with foreign keys and a busy timeout", async () => {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe("wal");
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
      expect(busy.rows[0]?.timeout).toBe(5000);
    });

    it("keeps statement journals in memory, so a group commit creates no temp file", async () => {
      // 2 = MEMORY (https://sqlite.org/pragma.html#pragma_temp_store); 0, the default, is a file.
      const temp = await sql<{ temp_store: number }>`pragma temp_store`.execute(store.db);
      expect(temp.rows[0]?.temp_store).toBe(2);
    });
  }
});

describeOnEngines(engines.slice(0, 1), "SQLite write lock across processes", () => {
  it("fails busy, not corrupt, when another connection holds the write lock too long", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { default: SqliteDatabase } = await import("better-sqlite3");
    const { openStore } = await import("../../src/store/openStore.js");
    const dir = await mkdtemp(join(tmpdir(), "passerelle-cloud-lock-"));
    const store = await openStore({ dataDir: dir, busyTimeoutMs: 100 });
    // Another process (the CLI, say) with an open write transaction on the same file.
    const other = new SqliteDatabase(join(dir, "passerelle.sqlite"));
    try {
      other.exec("begin immediate");
      const error = await store
        .write((trx) => trx.insertInto("settings").values({ key: "k", value: "v" }).execute())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe("busy");
      other.exec("commit");
      await store.write((trx) =>
        trx.insertInto("settings").values({ key: "k", value: "v" }).execute(),
      );
      const row = other.prepare("select value from settings where key = 'k'").get() as {
        value: string;
      };
      expect(row.value).toBe("v");
    } finally {
      other.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
