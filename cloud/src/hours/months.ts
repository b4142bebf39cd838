import { addDays, instantOfLocal, zonedReading } from "@passerelle/protocol";
import { invalid } from "../domain/domainError.js";

/** A calendar month, "YYYY-MM". Sessions count in the month of their start, in the centre's zone. */
export type Month = string;

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month, or a 400-worthy error naming the field. */
export function parseMonth(field: string, value: string): Month {
  if (!monthPattern.test(value)) throw invalid(field, `${field} must be a month, YYYY-MM`);
  return value;
}

export function monthOf(epochMs: number, timeZone: string): Month {
  return zonedReading(epochMs, timeZone).date.slice(0, 7);
}

export function localDateOf(epochMs: number, timeZone: string): string {
  return zonedReading(epochMs, timeZone).date;
}

export function nextMonth(month: Month): Month {
  return addDays(`${month}-28`, 7).slice(0, 7);
}

/** The instant a month starts in a time zone (local midnight of its first day). */
export function monthStart(month: Month, timeZone: string): number {
  return instantOfLocal(`${month}-01`, 0, timeZone);
}

/**
 * When the month is over everywhere: the latest local end among the given zones (a network
 * spans one zone in practice, but a centre in another zone must not see its month cut short).
 */
export function monthEnd(month: Month, timeZones: Iterable<string>): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const zone of timeZones) end = Math.max(end, monthStart(nextMonth(month), zone));
  return Number.isFinite(end) ? end : Date.parse(`${nextMonth(month)}-01T00:00:00Z`);
}

/** Earliest instant the month may contain anywhere (UTC+14), for index bounds. */
export function monthLowerBound(month: Month): number {
  return Date.parse(`${month}-01T00:00:00Z`) - 14 * 3_600_000;
}

/** Latest instant after the month anywhere (UTC-12). */
export function monthUpperBound(month: Month): number {
  return Date.parse(`${nextMonth(month)}-01T00:00:00Z`) + 12 * 3_600_000;
}
