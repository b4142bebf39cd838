import { PresenceError } from "./presenceError.js";

/** A wall-clock reading in one IANA time zone. */
export interface ZonedReading {
  /** Local date, "YYYY-MM-DD". */
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0 … 1439. */
  minute: number;
}

const dayMs = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new PresenceError("presence.invalid-time-zone", `unknown time zone ${timeZone}`);
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** Throws `presence.invalid-time-zone` unless the runtime knows this IANA zone. */
export function assertTimeZone(timeZone: string): void {
  formatFor(timeZone);
}

/**
 * The zone's offset from UTC at an instant, in ms (+3 600 000 for CET). Intl carries the zone
 * database, so DST is right without a dependency; offsets are whole seconds, so the instant is
 * floored to its second before comparing.
 */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** Local date, weekday and minute of day at an instant. */
export function zonedReading(epochMs: number, timeZone: string): ZonedReading {
  const wall = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return {
    date: wall.toISOString().slice(0, 10),
    weekday: wall.getUTCDay() === 0 ? 7 : wall.getUTCDay(),
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

/** "YYYY-MM-DD" shifted by whole days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of a local date. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The instant at which a local wall-clock time occurs (minute 1440 is the next midnight).
 * Where DST makes it ambiguous this follows RFC 9557 / Temporal's "compatible" rule: a time that
 * occurs twice (autumn) is its first occurrence, or its second with `later`; a time that never
 * occurs (spring gap) is read with the offset in force before the gap, i.e. as late as the jump
 * ("02:30" on 2026-03-29 in Europe/Brussels is 01:30Z, 03:30 CEST).
 */
export function instantOfLocal(
  date: string,
  minuteOfDay: number,
  timeZone: string,
  occurrence: "earlier" | "later" = "earlier",
): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
  const before = zoneOffsetMs(wall - dayMs, timeZone);
  const after = zoneOffsetMs(wall + dayMs, timeZone);
  const candidates = [wall - before, wall - after].filter(
    (instant) => zoneOffsetMs(instant, timeZone) === wall - instant,
  );
  if (candidates.length === 0) return wall - before;
  return occurrence === "earlier" ? Math.min(...candidates) : Math.max(...candidates);
}
