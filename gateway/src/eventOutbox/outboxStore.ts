import type { GatewayEvent } from "@passerelle/protocol";
import Database from "better-sqlite3";
import { OutboxError } from "./outboxError.js";

const schemaVersion = 1;

/** One event as stored: its seq, its type (for inspection with the sqlite3 shell) and its JSON. */
export interface OutboxRow {
  seq: number;
  type: string;
  body: string;
}

/**
 * The outbox's SQLite file: one row per unacked event and a meta row holding the last seq ever
 * given, so a seq is never reused once its rows are acked and deleted, nor after a reopen.
 * WAL with synchronous=FULL: a committed transaction has been fsynced to the WAL, so it survives
 * a power cut (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export class OutboxStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, string, string]>;
  private readonly raiseLastSeq: Database.Statement<[number]>;
  private readonly selectOldest: Database.Statement<[number], { body: string }>;
  private readonly deleteUpTo: Database.Statement<[number]>;
  private readonly writeAll: (rows: readonly OutboxRow[]) => void;

  constructor(path: string, options: { maxPageCount?: number } = {}) {
    try {
      this.db = new Database(path);
    } catch (error) {
      throw new OutboxError("open-failed", `cannot open ${path}: ${(error as Error).message}`);
    }
    try {
      const mode = this.db.pragma("journal_mode = WAL", { simple: true });
      if (mode !== "wal") throw new OutboxError("not-durable", `journal_mode is ${String(mode)}`);
      this.db.pragma("synchronous = FULL");
      if (this.db.pragma("synchronous", { simple: true }) !== 2) {
        throw new OutboxError("not-durable", "synchronous=FULL was not accepted");
      }
      this.migrate();
      // A hard quota on the file's size in pages; the tests use it to fill the "disk".
      if (options.maxPageCount !== undefined) {
        this.db.pragma(`max_page_count = ${Math.trunc(options.maxPageCount)}`);
      }
    } catch (error) {
      this.db.close();
      if (error instanceof OutboxError) throw error;
      throw new OutboxError("open-failed", `cannot prepare ${path}: ${(error as Error).message}`);
    }
    this.insert = this.db.prepare("INSERT INTO events (seq, type, body) VALUES (?, ?, ?)");
    this.raiseLastSeq = this.db.prepare(
      "UPDATE meta SET value = max(value, ?) WHERE key = 'lastSeq'",
    );
    this.selectOldest = this.db.prepare("SELECT body FROM events ORDER BY seq LIMIT ?");
    this.deleteUpTo = this.db.prepare("DELETE FROM events WHERE seq <= ?");
    this.writeAll = this.db.transaction((rows: readonly OutboxRow[]) => {
      let last = 0;
      for (const row of rows) {
        this.insert.run(row.seq, row.type, row.body);
        last = row.seq;
      }
      this.raiseLastSeq.run(last);
    });
  }

  /** The highest seq ever given (meta), or a stored row's if higher. */
  lastSeq(): number {
    const meta = this.db.prepare("SELECT value FROM meta WHERE key = 'lastSeq'").pluck().get();
    const rows = this.db.prepare("SELECT max(seq) FROM events").pluck().get();
    return Math.max(Number(meta ?? 0), Number(rows ?? 0));
  }

  count(): number {
    return Number(this.db.prepare("SELECT count(*) FROM events").pluck().get());
  }

  /** Writes the rows and raises the last seq in one transaction, durable when it returns. */
  write(rows: readonly OutboxRow[]): void {
    if (rows.length > 0) this.writeAll(rows);
  }

  oldest(max: number): GatewayEvent[] {
    return this.selectOldest.all(max).map((row) => JSON.parse(row.body) as GatewayEvent);
  }

  /** Deletes every row with seq ≤ upToSeq; returns how many. */
  delete(upToSeq: number): number {
    return this.deleteUpTo.run(upToSeq).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private migrate(): void {
    const version = Number(this.db.pragma("user_version", { simple: true }));
    if (version > schemaVersion) {
      throw new OutboxError("open-failed", `outbox schema ${version} is newer than this gateway`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT OR IGNORE INTO meta (key, value) VALUES ('lastSeq', 0);
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        body TEXT NOT NULL
      );
      PRAGMA user_version = ${schemaVersion};
    `);
  }
}
