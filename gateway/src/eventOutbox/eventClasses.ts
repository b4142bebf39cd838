import type { EventType } from "@passerelle/protocol";

/** Door alarms: never dropped, whatever the outbox's state. */
export const alarmEventTypes: ReadonlySet<EventType> = new Set<EventType>([
  "door.forced-open",
  "door.held-open",
  "door.alarm-cleared",
]);

/**
 * Access decisions, counted exits (hours and the headcount rest on them) and door alarms: the
 * outbox keeps these beyond any bound.
 */
export function isCritical(type: EventType): boolean {
  return type === "access" || type === "door.exit" || alarmEventTypes.has(type);
}

/**
 * What may be dropped once the outbox is at capacity: derived presence data only. The cloud
 * rebuilds sessions from the access events themselves, and live occupancy samples do not go
 * through the outbox at all (each one is a full count, so the next one heals a lost one).
 */
export const defaultDroppableTypes: ReadonlySet<EventType> = new Set<EventType>([
  "presence.closed",
]);
