import type { GatewayEvent } from "@passerelle/protocol";
import type { AuditLog } from "../audit/auditLog.js";
import type { AuditRecord } from "../audit/auditRecord.js";
import { gatewayEventRecords } from "../audit/gatewayEventAudit.js";
import type { Clock } from "../domain/serviceDeps.js";
import type { EventSink, GatewayEventBatch, StoredUpTo } from "../ports/eventSink.js";
import { checkInBookings } from "../reservations/noShows.js";
import { BulkInsert } from "../store/bulkInsert.js";
import type { AccessEventsTable } from "../store/database.js";
import type { Executor, Store } from "../store/openStore.js";
import { highestReadCounters, raiseReadCounters } from "./sunReadCounters.js";

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
 * transaction too: exactly once, since a re-sent event is not new. SUN read counters among the
 * new events raise their cards' `read_counter` in that transaction as well (sunReadCounters.ts).
 */
export class AccessEventStore implements EventSink {
  // RETURNING lists only the rows inserted, not those skipped as already stored (by an earlier
  // commit, or by an earlier row of this same INSERT: both engines apply the rows in order, so
  // the first delivery of an event is the one kept).
  private readonly insertEvents: BulkInsert<"access_events">;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly auditLog?: AuditLog,
  ) {
    this.insertEvents = new BulkInsert(
      store.engine,
      "access_events",
      [
        "id",
        "gateway_id",
        "seq",
        "centre_id",
        "time",
        "received_at",
        "type",
        "door_id",
        "direction",
        "credential_hash",
        "member_id",
        "decision",
        "reason",
        "bundle_version",
        "detail",
      ],
      'on conflict do nothing returning "id"',
    );
  }

  async storeBatch(batches: readonly GatewayEventBatch[]): Promise<readonly StoredUpTo[]> {
    const receivedAt = this.clock.now();
    return this.store.write(async (trx) => {
      // Every batch of the group in the same INSERTs: per-statement overhead (kysely compile,
      // SQLite step) was most of the cost at one event per message, 20 messages per commit.
      const rows: AccessEventsTable[] = [];
      for (const batch of batches) {
        for (const event of batch.events) rows.push(rowOf(batch, event, receivedAt));
      }
      const newIds = new Set<string>();
      for (let start = 0; start < rows.length; start += rowsPerInsert) {
        const chunk = rows.slice(start, start + rowsPerInsert);
        const result = await this.insertEvents.execute<{ id: string }>(trx, chunk);
        for (const { id } of result.rows) newIds.add(id);
      }
      const results: StoredUpTo[] = [];
      const audited: AuditRecord[] = [];
      const checkInsByCentre = new Map<string, GatewayEvent[]>();
      const freshEvents: GatewayEvent[] = [];
      for (const batch of batches) {
        // Each inserted id is credited once, to its first occurrence, so an event delivered
        // twice within one group is counted and audited once.
        const fresh = batch.events.filter((event) => newIds.delete(event.id));
        const inserted = fresh.length;
        freshEvents.push(...fresh);
        if (inserted > 0) {
          const centreEntries = checkInsByCentre.get(batch.centreId) ?? [];
          centreEntries.push(...batch.events);
          checkInsByCentre.set(batch.centreId, centreEntries);
          if (this.auditLog) audited.push(...gatewayEventRecords(batch, fresh, receivedAt));
        }
        const upToSeq = batch.events.reduce((max, event) => Math.max(max, event.seq), 0);
        results.push({ gatewayId: batch.gatewayId, upToSeq, inserted });
      }
      for (const [centreId, events] of checkInsByCentre) await this.checkIn(trx, centreId, events);
      await raiseReadCounters(trx, highestReadCounters(freshEvents));
      // Last, after the bookings checkIn locks: the chain head is always locked last.
      await this.auditLog?.append(trx, audited);
      return results;
    });
  }

  /**
   * Granted entries check in their members' bookings. Most entries have no booking to check in
   * (pass holders), so one query per batch first finds the members holding a booking at this
   * centre that could match any entry of the batch; only their entries run checkInBookings.
   * Without it, each entry cost two queries inside the ingest's write transaction. Called once
   * per centre per group commit, with the events of every batch of that centre that had new ones.
   */
  private async checkIn(
    trx: Executor,
    centreId: string,
    events: readonly GatewayEvent[],
  ): Promise<void> {
    const entries: { member: string; at: number }[] = [];
    for (const event of events) {
      if (
        event.type === "access" &&
        event.decision === "granted" &&
        event.member &&
        event.direction !== "out"
      ) {
        entries.push({ member: event.member, at: Date.parse(event.time) });
      }
    }
    if (entries.length === 0) return;
    let from = Number.POSITIVE_INFINITY;
    let to = Number.NEGATIVE_INFINITY;
    for (const { at } of entries) {
      from = Math.min(from, at);
      to = Math.max(to, at);
    }
    const centre = await trx
      .selectFrom("centres")
      .select("booking_grace_minutes")
      .where("id", "=", centreId)
      .executeTakeFirst();
    if (centre === undefined) return;
    const candidates = await trx
      .selectFrom("bookings")
      .select("member_id")
      .distinct()
      .where("centre_id", "=", centreId)
      .where("status", "=", "confirmed")
      .where("checked_in_at", "is", null)
      .where("starts_at", "<=", to + centre.booking_grace_minutes * 60_000)
      .where("ends_at", ">", from)
      .execute();
    if (candidates.length === 0) return;
    const booked = new Set(candidates.map((row) => row.member_id));
    for (const { member, at } of entries) {
      if (booked.has(member)) await checkInBookings(trx, member, centreId, at);
    }
  }
}
