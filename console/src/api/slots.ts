import type { AvailabilitySlot } from "@passerelle/cloud/api-types";

/** True when free slots cover [from, to) without a gap: the resource can take the booking. */
export function coversRange(slots: readonly AvailabilitySlot[], from: number, to: number): boolean {
  let reached = from;
  const free = slots
    .filter((slot) => slot.free > 0)
    .map((slot) => ({ start: Date.parse(slot.start), end: Date.parse(slot.end) }))
    .sort((a, b) => a.start - b.start);
  for (const slot of free) {
    if (slot.start > reached) break;
    reached = Math.max(reached, slot.end);
    if (reached >= to) return true;
  }
  return reached >= to;
}
