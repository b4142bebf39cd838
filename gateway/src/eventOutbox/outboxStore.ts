import Database from "better-sqlite3";
import { OutboxError } from "./outboxError.js";

/** 1: events and meta; 2: the quarantine table (created on open, nothing to move). */
const schemaVersion = 2;

/** One event as stored: its seq, its type (for inspection with the sqlite3 shell) and its JSON. */
export interface OutboxRow {
  seq: number;
  type: string;
  body: string;
  /** Set when the event does not match the protocol's schema: it goes to the quarantine. */
  problem?: string;
}

/** A stored row as read back for a batch, not yet parsed. */
export type StoredRow = Pick<OutboxRow, "seq" | "type" | "body">;

/** A row kept out of the uplink because the cloud could not accept it. */
export interface QuarantinedRow {
  seq: number;
  type: string;
  body: string;
  problem: string;
  quarantinedAt: string;
}

/**
 * The outbox's SQLite file: one row per unacked event and a meta row holding the last seq ever
 * given, so a seq is never reused once its rows are acked and deleted, nor after a reopen. Events
 * the cloud could not accept (they fail the protocol's schema) sit in a `quarantine` table
 * instead, with the problem found: kept for an operator, never sent, never blocking the rest.
 * WAL with synchronous=FULL: a committed transaction has been fsynced to the WAL, so it survives
 * a power cut (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export class OutboxStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, string, string]>;
  private readonly raiseLastSeq: Database.Statement<[number]>;
  private readonly selectOldest: Database.Statement<[number, number], StoredRow>;
  private readonly deleteUpTo: Database.Statement<[number]>;
  private readonly insertQuarantined: Database.Statement<[number, string, string, string, string]>;
  private readonly deleteOne: Database.Statement<[number]>;
  private readonly writeAll: (rows: readonly OutboxRow[]) => void;
  private readonly moveAll: (rows: readonly Required<OutboxRow>[]) => void;

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
    this.selectOldest = this.db.prepare(
      "SELECT seq, type, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
    );
    this.deleteUpTo = this.db.prepare("DELETE FROM events WHERE seq <= ?");
    this.insertQuarantined = this.db.prepare(
      "INSERT OR REPLACE INTO quarantine (seq, type, body, problem, at) VALUES (?, ?, ?, ?, ?)",
    );
    this.deleteOne = this.db.prepare("DELETE FROM events WHERE seq = ?");
    this.writeAll = this.db.transaction((rows: readonly OutboxRow[]) => {
      let last = 0;
      for (const row of rows) {
        if (row.problem === undefined) this.insert.run(row.seq, row.type, row.body);
        else this.quarantineOne(row as Required<OutboxRow>);
        last = row.seq;
      }
      this.raiseLastSeq.run(last);
    });
    this.moveAll = this.db.transaction((rows: readonly Required<OutboxRow>[]) => {
      for (const row of rows) {
        this.quarantineOne(row);
        this.deleteOne.run(row.seq);
      }
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

  /** Up to `max` stored rows with a seq above `afterSeq`, in seq order, unparsed. */
  oldest(max: number, afterSeq = 0): StoredRow[] {
    return this.selectOldest.all(afterSeq, max);
  }

  /** Moves stored rows to the quarantine, in one transaction: kept on disk, never sent. */
  quarantine(rows: readonly Required<OutboxRow>[]): void {
    if (rows.length > 0) this.moveAll(rows);
  }

  quarantinedCount(): number {
    return Number(this.db.prepare("SELECT count(*) FROM quarantine").pluck().get());
  }

  /** The quarantined rows in seq order (an operator's tool, tests). */
  quarantined(): QuarantinedRow[] {
    return this.db
      .prepare("SELECT seq, type, body, problem, at AS quarantinedAt FROM quarantine ORDER BY seq")
      .all() as QuarantinedRow[];
  }

  /** Deletes every row with seq ≤ upToSeq; returns how many. */
  delete(upToSeq: number): number {
    return this.deleteUpTo.run(upToSeq).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private quarantineOne(row: Required<OutboxRow>): void {
    this.insertQuarantined.run(row.seq, row.type, row.body, row.problem, new Date().toISOString());
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
      CREATE TABLE IF NOT EXISTS quarantine (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        problem TEXT NOT NULL,
        at TEXT NOT NULL
      );
      PRAGMA user_version = ${schemaVersion};
    `);
  }
}
