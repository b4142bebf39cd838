import type { GatewayEvent } from "@passerelle/protocol";
import Database from "better-sqlite3";

export interface PresenceJournalOptions {
  /** Rows kept at most; beyond, the oldest go (a restore then starts later). 50 000 by default. */
  maxRows?: number;
}

/**
 * The presence events (`access`, `door.exit`) the gateway's live count rests on, kept in the
 * outbox's SQLite file (its own table, its own connection) so that a restart restores the count
 * instead of starting from zero: the outbox deletes events once the cloud acks them, this table
 * keeps them until the centre is empty again (headcount 0, nobody attributed), when everything
 * before no longer matters and is trimmed. Bounded by `maxRows` for a centre that never empties.
 * WAL with synchronous=FULL, like the outbox: a row is on disk when `append` returns.
 */
export class PresenceJournal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, string, string]>;
  private readonly trim: Database.Statement<[number]>;
  private readonly maxRows: number;
  private rows: number;

  constructor(path: string, options: PresenceJournalOptions = {}) {
    this.maxRows = options.maxRows ?? 50_000;
    this.db = new Database(path);
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = FULL");
      // The outbox writes to the same file from another connection.
      this.db.pragma("busy_timeout = 2000");
      this.db.exec(`CREATE TABLE IF NOT EXISTS presence_journal (
        seq INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        body TEXT NOT NULL
      )`);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.insert = this.db.prepare(
      "INSERT OR IGNORE INTO presence_journal (seq, time, body) VALUES (?, ?, ?)",
    );
    this.trim = this.db.prepare("DELETE FROM presence_journal WHERE seq <= ?");
    this.rows = this.count();
  }

  /** Keeps one event; returns how many of the oldest rows had to go to stay within the bound. */
  append(event: GatewayEvent): number {
    this.rows += this.insert.run(event.seq, event.time, JSON.stringify(event)).changes;
    const excess = this.rows - this.maxRows;
    if (excess <= 0) return 0;
    const cut = this.db
      .prepare("SELECT seq FROM presence_journal ORDER BY seq LIMIT 1 OFFSET ?")
      .pluck()
      .get(excess - 1) as number;
    this.rows -= this.trim.run(cut).changes;
    return excess;
  }

  /** The kept events in seq order. */
  events(): GatewayEvent[] {
    return this.db
      .prepare("SELECT body FROM presence_journal ORDER BY seq")
      .pluck()
      .all()
      .map((body) => JSON.parse(body as string) as GatewayEvent);
  }

  /** Forgets every event with seq ≤ `seq` (the centre was empty after it). */
  trimThrough(seq: number): void {
    this.rows -= this.trim.run(seq).changes;
  }

  count(): number {
    return Number(this.db.prepare("SELECT count(*) FROM presence_journal").pluck().get());
  }

  isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
