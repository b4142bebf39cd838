import type { GatewayEvent } from "@passerelle/protocol";
import type { AuditLog } from "../audit/auditLog.js";
import type { AuditRecord } from "../audit/auditRecord.js";
import { gatewayEventRecords } from "../audit/gatewayEventAudit.js";
import type { Clock } from "../domain/serviceDeps.js";
import type { EventSink, GatewayEventBatch, StoredUpTo } from "../ingest/ports.js";
import { checkInBookings } from "../reservations/noShows.js";
import type { AccessEventsTable } from "../store/database.js";
import type { Executor, Store } from "../store/openStore.js";

/** Rows per INSERT: well under SQLite's bound-parameter limit with 15 columns. */
const rowsPerInsert = 400;

function rowOf(
  batch: GatewayEventBatch,
  event: GatewayEvent,
  receivedAt: number,
): AccessEventsTable {
  return {
    id: event.id,
    gateway_id: batch.gatewayId,
    seq: event.seq,
    // The centre is the gateway's, as registered in the cloud, not whatever the payload claims.
    centre_id: batch.centreId,
    time: Date.parse(event.time),
    received_at: receivedAt,
    type: event.type,
    door_id: event.door ?? null,
    direction: event.direction ?? null,
    credential_hash: event.credential ?? null,
    member_id: event.member ?? null,
    decision: event.decision ?? null,
    reason: event.reason ?? null,
    bundle_version: event.bundleVersion ?? null,
    detail: event.detail ?? null,
  };
}

/**
 * The ingest's EventSink on the store: every batch of one call in ONE transaction, idempotent on
 * (gateway, seq) and on the event id (a re-sent batch inserts nothing), committed before the
 * promise resolves, so the ack that follows never covers an event that is not on disk. A granted
 * entry also checks in the member's current booking, in the same transaction. With an audit log,
 * the access decisions and door alarms among the new events are appended to it in that same
 * transaction too: exactly once, since a re-sent event is not new.
 */
export class AccessEventStore implements EventSink {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly auditLog?: AuditLog,
  ) {}

  async storeBatch(batches: readonly GatewayEventBatch[]): Promise<readonly StoredUpTo[]> {
    const receivedAt = this.clock.now();
    return this.store.write(async (trx) => {
      const results: StoredUpTo[] = [];
      const audited: AuditRecord[] = [];
      for (const batch of batches) {
        const rows = batch.events.map((event) => rowOf(batch, event, receivedAt));
        const newIds = new Set<string>();
        for (let start = 0; start < rows.length; start += rowsPerInsert) {
          const chunk = rows.slice(start, start + rowsPerInsert);
          // RETURNING lists only the rows inserted, not those skipped as already stored.
          const result = await trx
            .insertInto("access_events")
            .values(chunk)
            .onConflict((conflict) => conflict.doNothing())
            .returning("id")
            .execute();
          for (const { id } of result) newIds.add(id);
        }
        const inserted = newIds.size;
        if (inserted > 0) await this.checkIn(trx, batch);
        if (this.auditLog && inserted > 0) {
          const fresh = batch.events.filter((event) => newIds.has(event.id));
          audited.push(...gatewayEventRecords(batch, fresh, receivedAt));
        }
        const upToSeq = batch.events.reduce((max, event) => Math.max(max, event.seq), 0);
        results.push({ gatewayId: batch.gatewayId, upToSeq, inserted });
      }
      // Last, after the bookings checkIn locks: the chain head is always locked last.
      await this.auditLog?.append(trx, audited);
      return results;
    });
  }

  private async checkIn(trx: Executor, batch: GatewayEventBatch): Promise<void> {
    for (const event of batch.events) {
      if (
        event.type === "access" &&
        event.decision === "granted" &&
        event.member &&
        event.direction !== "out"
      ) {
        await checkInBookings(trx, event.member, batch.centreId, Date.parse(event.time));
      }
    }
  }
}
