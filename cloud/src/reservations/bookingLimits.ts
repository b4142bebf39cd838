import { invalid } from "../domain/domainError.js";
import type { Interval } from "../domain/intervals.js";
import { instant } from "../domain/validation.js";

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/** The bounds every booking request is held to (docs/cloud-store.md "Reservations"). */
export const bookingLimits = {
  /** Longest single booking. Also bounds the conflict scan: no booking starts earlier than this before one it overlaps. */
  maxBookingMs: 31 * DAY,
  /** A booking may start this long before "now": "from now until 17:00" arrives a little late. */
  pastToleranceMs: 5 * MINUTE,
  /** Longest availability search; longer ranges are refused, not computed. */
  maxSearchMs: 31 * DAY,
  /** Occurrences of one recurring booking (RFC 5545 RRULE), and the span they may cover. */
  maxOccurrences: 366,
  maxSeriesSpanMs: 366 * DAY,
} as const;

/** Input times to a checked [start, end) interval: end after start, bounded length. */
export function bookingInterval(start: Date | number, end: Date | number): Interval {
  const from = instant("start", start);
  const to = instant("end", end);
  if (to <= from) throw invalid("end", "must be after start");
  if (to - from > bookingLimits.maxBookingMs)
    throw invalid("end", "a booking lasts at most 31 days");
  return { from, to };
}

/** Starts before now (minus the tolerance): refused, a booking cannot be made in the past. */
export function isInPast(interval: Interval, now: number): boolean {
  return interval.from < now - bookingLimits.pastToleranceMs;
}
