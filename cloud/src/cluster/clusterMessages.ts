import type { CommittedEvents } from "../ports/eventSink.js";

/** What one instance tells the others (clusterRelay.ts), as JSON in a NOTIFY payload. */
export type ClusterChange =
  | { readonly kind: "accessRules.changed"; readonly centreIds: readonly string[] }
  | { readonly kind: "principals.changed"; readonly at: number }
  | { readonly kind: "gatewayCredentials.revoked"; readonly gatewayIds: readonly string[] }
  | { readonly kind: "events.committed"; readonly batch: CommittedEvents };

/** A change with the instance that made it. */
export type ClusterMessage = ClusterChange & { readonly origin: string };

/**
 * PostgreSQL refuses a NOTIFY payload of 8 000 bytes or more: a committed batch is split into
 * messages of whole events under this size (one event is a few hundred bytes).
 */
const maxPayloadBytes = 7_000;

/**
 * A committed batch as one or more payloads, each a batch of the same gateway and centre.
 * `inserted` is spread over the parts (the boards only look whether it is above 0).
 */
export function encodeCommitted(batch: CommittedEvents, origin: string): string[] {
  const payloads: string[] = [];
  let left = batch.inserted;
  let start = 0;
  while (start < batch.events.length) {
    let end = batch.events.length;
    let text = "";
    for (;;) {
      const events = batch.events.slice(start, end);
      const inserted = Math.min(left, events.length);
      text = JSON.stringify({
        kind: "events.committed",
        origin,
        batch: { gatewayId: batch.gatewayId, centreId: batch.centreId, events, inserted },
      });
      if (Buffer.byteLength(text) < maxPayloadBytes || end - start === 1) break;
      end = start + Math.ceil((end - start) / 2);
    }
    // One event too large for a notification (it never is in practice) is not relayed.
    if (Buffer.byteLength(text) < maxPayloadBytes) payloads.push(text);
    left -= Math.min(left, end - start);
    start = end;
  }
  return payloads;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** The message, or null when the payload is not one (another program on the channel). */
export function decodeClusterMessage(payload: string): ClusterMessage | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || typeof value.origin !== "string") return null;
  const origin = value.origin;
  switch (value.kind) {
    case "accessRules.changed":
      return isStrings(value.centreIds)
        ? { kind: value.kind, centreIds: value.centreIds, origin }
        : null;
    case "principals.changed":
      return typeof value.at === "number" ? { kind: value.kind, at: value.at, origin } : null;
    case "gatewayCredentials.revoked":
      return isStrings(value.gatewayIds)
        ? { kind: value.kind, gatewayIds: value.gatewayIds, origin }
        : null;
    case "events.committed": {
      const batch = value.batch as Record<string, unknown> | null;
      if (
        typeof batch !== "object" ||
        batch === null ||
        typeof batch.gatewayId !== "string" ||
        typeof batch.centreId !== "string" ||
        typeof batch.inserted !== "number" ||
        !Array.isArray(batch.events)
      ) {
        return null;
      }
      // From another instance of this cloud, which validated the events at ingest.
      return { kind: value.kind, batch: batch as unknown as CommittedEvents, origin };
    }
    default:
      return null;
  }
}
