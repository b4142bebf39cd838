import type { GatewayEvent } from "@passerelle/protocol";
import type { GatewayEventBatch } from "../ports/eventSink.js";
import type { AuditOutcome, AuditRecord } from "./auditRecord.js";

/**
 * Which gateway events the audit log keeps (docs/audit.md "What is recorded": every access decision and
 * door alarm), with the outcome each one files under. Door movements, reader and clock health
 * stay in the access log only.
 */
const outcomeByType: Partial<Record<GatewayEvent["type"], AuditOutcome>> = {
  "door.held-open": "alarm",
  "door.forced-open": "alarm",
  "door.alarm-cleared": "alarm-cleared",
};

function outcomeOf(event: GatewayEvent): AuditOutcome | null {
  if (event.type === "access") return event.decision ?? null;
  return outcomeByType[event.type] ?? null;
}

/**
 * Audit records for the newly stored events of one batch. The actor is the gateway that
 * reported them (the door decided, offline or not); the time is the door's. The credential is
 * the keyed hash the gateway sent, never a raw UID.
 */
export function gatewayEventRecords(
  batch: GatewayEventBatch,
  events: readonly GatewayEvent[],
  receivedAt: number,
): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const event of events) {
    const outcome = outcomeOf(event);
    if (outcome === null) continue;
    records.push({
      at: Date.parse(event.time),
      actor: `gateway:${batch.gatewayId}`,
      action: event.type,
      subject: `event:${event.id}`,
      centreId: batch.centreId,
      memberId: event.member ?? null,
      doorId: event.door ?? null,
      outcome,
      detail: {
        seq: event.seq,
        direction: event.direction,
        reason: event.reason,
        credential: event.credential,
        bundleVersion: event.bundleVersion,
        receivedAt: new Date(receivedAt).toISOString(),
      },
    });
  }
  return records;
}
