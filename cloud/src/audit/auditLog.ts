import type { AuditEntry, Clock } from "../domain/serviceDeps.js";
import { BulkInsert } from "../store/bulkInsert.js";
import type { AuditLogTable } from "../store/database.js";
import type { Executor, Store } from "../store/openStore.js";
import { type AuditRecord, auditColumns, recordOfChange, unchainedRow } from "./auditRecord.js";
import { auditRowHash } from "./auditRowHash.js";

/** Rows per INSERT: 12 columns, well under the bound-parameter limits of both engines. */
const rowsPerInsert = 500;

/**
 * The append side of the hash-chained audit log (docs/audit.md).
 *
 * Appends run inside the caller's write transaction, so an entry exists if and only if the
 * change or the events it records were committed. The chain head row is read with
 * `SELECT … FOR UPDATE` on PostgreSQL: a second appender waits there until the first commits
 * (or rolls back), so links are never forked and ids stay dense. On SQLite the write
 * transaction (BEGIN IMMEDIATE) already serialises every writer. The head is locked last in
 * every transaction that appends (after the rows the change itself locks), so it adds no
 * deadlock cycle.
 */
export class AuditLog {
  private readonly insertRows: BulkInsert<"audit_log">;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.insertRows = new BulkInsert(store.engine, "audit_log", auditColumns);
  }

  /** The domain's `hooks.audit`: one admin change, stamped with the time it is committed. */
  readonly recordChange = (entry: AuditEntry, trx: Executor): Promise<void> =>
    this.append(trx, [recordOfChange(entry, this.clock.now())]);

  /** Chains and inserts `records`, in order, within the transaction `trx`. */
  async append(trx: Executor, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const head = await this.store
      .forUpdate(
        trx.selectFrom("audit_chain_head").select(["last_id", "last_hash"]).where("id", "=", 1),
      )
      .executeTakeFirstOrThrow();
    let lastId = Number(head.last_id);
    let lastHash = head.last_hash;
    let rows: AuditLogTable[] = [];
    for (const record of records) {
      lastId += 1;
      const row = unchainedRow(lastId, record);
      const hash = auditRowHash(lastHash, row);
      rows.push({ ...row, prev_hash: lastHash, hash });
      lastHash = hash;
      if (rows.length === rowsPerInsert) {
        await this.insertRows.execute(trx, rows);
        rows = [];
      }
    }
    if (rows.length > 0) await this.insertRows.execute(trx, rows);
    await trx
      .updateTable("audit_chain_head")
      .set({ last_id: lastId, last_hash: lastHash })
      .where("id", "=", 1)
      .execute();
  }
}
