import type { AvailabilitySlot } from "@passerelle/cloud/api-types";

const pad = (n: number) => String(n).padStart(2, "0");
const dateOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The slot the booking form opens with: from the next quarter hour (never in the past) to
 * 17:00, or a whole working day (09:00–17:00) when that leaves less than an hour today or the
 * day has not started. Browser-local wall clock, like the date and time fields.
 */
export function defaultSlot(now: Date): { date: string; start: string; end: string } {
  const minutes = now.getHours() * 60 + now.getMinutes();
  const next = Math.ceil((minutes + 1) / 15) * 15;
  if (next <= 9 * 60) return { date: dateOf(now), start: "09:00", end: "17:00" };
  if (next <= 16 * 60)
    return {
      date: dateOf(now),
      start: `${pad(Math.floor(next / 60))}:${pad(next % 60)}`,
      end: "17:00",
    };
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  return { date: dateOf(tomorrow), start: "09:00", end: "17:00" };
}

/** Seats free for the whole of [from, to): the fewest free over the slots it crosses. */
export function seatsFree(slots: readonly AvailabilitySlot[], from: number, to: number): number {
  let fewest = Number.POSITIVE_INFINITY;
  let covered = from;
  const sorted = [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const slot of sorted) {
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    if (end <= from || start >= to) continue;
    if (start > covered) return 0;
    fewest = Math.min(fewest, slot.free);
    covered = Math.max(covered, end);
  }
  return covered >= to && fewest !== Number.POSITIVE_INFINITY ? fewest : 0;
}
