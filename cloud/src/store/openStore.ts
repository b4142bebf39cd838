import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { type Logger, pino } from "pino";
import type { Database } from "./database.js";
import { isRetryableTransactionError } from "./dbErrors.js";
import { type ExclusiveLocks, postgresLocks, sqliteLocks } from "./exclusiveLocks.js";
import { migrationProvider } from "./migrations/index.js";
import { logLostConnections } from "./poolErrors.js";
import { refuseNewerSchema } from "./schemaVersion.js";
import { withStatementCache } from "./sqliteStatementCache.js";
import { StoreError } from "./storeError.js";

export type Engine = "sqlite" | "postgres";

/** A query runner: the store's pool, or one transaction's connection. */
export type Executor = Kysely<Database>;

export interface SqliteStoreOptions {
  /** Directory holding `passerelle.sqlite` (created if missing). */
  readonly dataDir: string;
  readonly fileName?: string;
  /**
   * FULL (default) fsyncs the WAL at every commit, so an event acked to a gateway survives a
   * power cut; NORMAL trades that for speed (still consistent after a crash).
   */
  readonly synchronous?: "FULL" | "NORMAL";
  readonly busyTimeoutMs?: number;
  readonly migrate?: boolean;
}

export interface PostgresStoreOptions {
  readonly postgresUrl: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  readonly migrate?: boolean;
  readonly logger?: Logger;
}

export type StoreOptions = SqliteStoreOptions | PostgresStoreOptions;

export interface Store {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
  /**
   * Runs `work` in a transaction that serialises with every other `write` touching the same
   * rows (docs/cloud-store.md "Concurrency"): SQLite takes the database write lock at BEGIN
   * IMMEDIATE; PostgreSQL runs READ COMMITTED and the work locks the rows it checks with
   * `forUpdate`. PostgreSQL serialization failures and deadlocks are retried; when retries run
   * out, StoreError "busy". Inside `work` use only the given executor: `write` refuses to
   * nest, and a query on `db` would wait on SQLite for this very transaction to end.
   */
  write<T>(work: (trx: Executor) => Promise<T>): Promise<T>;
  /** `SELECT … FOR UPDATE` on PostgreSQL; as is on SQLite, where the whole database is locked. */
  forUpdate<Q extends { forUpdate(): Q }>(query: Q): Q;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Work that runs in one process at a time across every cloud instance (exclusiveLocks.ts). */
  readonly locks: ExclusiveLocks;
  close(): Promise<void>;
}

const PG_INT8_OID = 20;
const PG_RETRIES = 5;

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = "postgresUrl" in options ? openPostgres(options) : openSqlite(options);
  if (options.migrate ?? true) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function openSqlite(options: SqliteStoreOptions): Store {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, options.fileName ?? "passerelle.sqlite");
  const database = new SqliteDatabase(file);
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  database.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
  // Statement journals and sorter spills in memory, not in temp files: a multi-row INSERT … ON
  // CONFLICT opens a statement journal, and on disk that was a file created and unlinked at
  // every group commit of the ingest (strace: one per commit; 15–20 % of the commit's time,
  // docs/performance.md). What they hold is bounded by one statement's pages.
  database.pragma("temp_store = MEMORY");
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  const inWrite = new AsyncLocalStorage<true>();

  return {
    engine: "sqlite",
    db,
    // kysely's SQLite driver has one connection behind a mutex, held for the whole callback of
    // db.connection(): concurrent async writers queue there, in this process. BEGIN IMMEDIATE
    // takes SQLite's write lock up front so another process (the CLI) cannot slip a write
    // between our read and our insert; it waits busy_timeout for that lock, then fails busy.
    write: async (work) => {
      if (inWrite.getStore()) throw nestedWrite();
      return inWrite.run(true, () =>
        db.connection().execute(async (conn) => {
          try {
            await sql`begin immediate`.execute(conn);
          } catch (error) {
            if (isRetryableTransactionError(error)) {
              throw new StoreError("busy", "the database is locked by another writer", {
                cause: error,
              });
            }
            throw error;
          }
          try {
            const result = await work(conn);
            await sql`commit`.execute(conn);
            return result;
          } catch (error) {
            // After some errors SQLite has already rolled back; a second rollback then fails.
            if (database.inTransaction) await sql`rollback`.execute(conn);
            throw error;
          }
        }),
      );
    },
    forUpdate: (query) => query,
    locks: sqliteLocks(),
    migrate: async () => {
      const applied = await runMigrations(db);
      // SQLite's advice for long-lived connections (https://sqlite.org/lang_analyze.html):
      // refresh the planner's statistics where they are missing or stale.
      database.pragma("optimize=0x10002");
      return applied;
    },
    close: () => db.destroy(),
  };
}

function openPostgres(options: PostgresStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.postgresUrl,
    max: options.poolSize ?? 10,
    // bigint columns hold epoch milliseconds: exact as JS numbers, so parse them as numbers
    // (pg returns int8 as text by default). Only this pool is affected, not pg's global table.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === PG_INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
    },
  });
  const logger = (options.logger ?? pino({ level: "silent" })).child({ module: "cloud:store" });
  logLostConnections(pool, logger, "PostgreSQL");
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const inWrite = new AsyncLocalStorage<true>();
  const lockPool = new pg.Pool({ connectionString: options.postgresUrl, max: 4 });
  logLostConnections(lockPool, logger, "lock");
  const locks = postgresLocks(lockPool);

  return {
    engine: "postgres",
    db,
    write: async (work) => {
      if (inWrite.getStore()) throw nestedWrite();
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await inWrite.run(true, () => db.transaction().execute(work));
        } catch (error) {
          if (!isRetryableTransactionError(error)) throw error;
          if (attempt >= PG_RETRIES) {
            throw new StoreError("busy", "transaction kept failing to serialise", {
              cause: error,
            });
          }
          // Jittered backoff so the transactions that collided do not collide again.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
        }
      }
    },
    forUpdate: (query) => query.forUpdate(),
    locks,
    migrate: () => runMigrations(db),
    close: async () => {
      await locks.close();
      await db.destroy();
    },
  };
}

function nestedWrite(): StoreError {
  return new StoreError(
    "nested-transaction",
    "store.write called inside store.write; pass the transaction's executor instead",
  );
}

async function runMigrations(db: Kysely<Database>): Promise<string[]> {
  await refuseNewerSchema(db);
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    throw new StoreError("migration-failed", `migration ${failed ?? "?"} failed`, {
      cause: error,
    });
  }
  return results.filter((result) => result.status === "Success").map((r) => r.migrationName);
}
