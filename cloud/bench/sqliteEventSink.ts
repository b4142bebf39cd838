import Database from "better-sqlite3";
import type { EventSink, GatewayEventBatch, StoredUpTo } from "../src/ports/eventSink.js";

/**
 * An EventSink on a real SQLite table, as the store will hold events: WAL, synchronous=FULL (a
 * commit survives power loss, like the store's default), one transaction per group commit,
 * INSERT … ON CONFLICT DO NOTHING on the (gateway, seq) key. Bench-only: the store owns the real
 * table and migration.
 */
export class SqliteEventSink implements EventSink {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly commit: (batches: readonly GatewayEventBatch[]) => StoredUpTo[];

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS access_events (
        gateway_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        centre_id TEXT NOT NULL,
        time TEXT NOT NULL,
        type TEXT NOT NULL,
        door_id TEXT,
        member_id TEXT,
        credential_hash TEXT,
        decision TEXT,
        reason TEXT,
        detail TEXT,
        PRIMARY KEY (gateway_id, seq)
      ) WITHOUT ROWID`);
    this.insert = this.db.prepare(`
      INSERT INTO access_events
        (gateway_id, seq, id, centre_id, time, type, door_id, member_id, credential_hash, decision, reason, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id, seq) DO NOTHING`);
    this.commit = this.db.transaction((batches: readonly GatewayEventBatch[]) => {
      const byGateway = new Map<string, { upToSeq: number; inserted: number }>();
      for (const batch of batches) {
        const entry = byGateway.get(batch.gatewayId) ?? { upToSeq: 0, inserted: 0 };
        for (const e of batch.events) {
          const result = this.insert.run(
            batch.gatewayId,
            e.seq,
            e.id,
            batch.centreId,
            e.time,
            e.type,
            e.door ?? null,
            e.member ?? null,
            e.credential ?? null,
            e.decision ?? null,
            e.reason ?? null,
            e.detail ?? null,
          );
          entry.inserted += result.changes;
          entry.upToSeq = Math.max(entry.upToSeq, e.seq);
        }
        byGateway.set(batch.gatewayId, entry);
      }
      return [...byGateway].map(([gatewayId, entry]) => ({ gatewayId, ...entry }));
    });
  }

  /** Transactions committed so far. */
  commits = 0;

  async storeBatch(batches: readonly GatewayEventBatch[]): Promise<readonly StoredUpTo[]> {
    const stored = this.commit(batches);
    this.commits += 1;
    return stored;
  }

  count(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM access_events").get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
