import {
  compileValidator,
  type WeeklySchedule,
  WeeklySchedule as WeeklyScheduleSchema,
} from "@passerelle/protocol";
import { DateTime, IANAZone } from "luxon";
import { invalid } from "./domainError.js";
import { clipIntervals, covers, type Interval, mergeIntervals } from "./intervals.js";

/** What decides when a centre is open: its zone, weekly hours and closed days. */
export interface CentreCalendar {
  readonly timeZone: string;
  readonly openingHours: WeeklySchedule;
  /** Local "YYYY-MM-DD" days the centre stays closed. */
  readonly closedDates: ReadonlySet<string>;
}

const scheduleValidator = compileValidator(WeeklyScheduleSchema);
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export function validateTimeZone(field: string, zone: string): string {
  if (!IANAZone.isValidZone(zone)) throw invalid(field, "must be an IANA time zone");
  return zone;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The protocol's WeeklySchedule shape, and each interval opening before it closes. */
export function validateOpeningHours(field: string, value: unknown): WeeklySchedule {
  if (!scheduleValidator.check(value)) {
    throw invalid(
      field,
      `is not a weekly schedule: ${scheduleValidator.errors(value, 3).join("; ")}`,
    );
  }
  value.forEach((interval, index) => {
    if (minutesOf(interval.open) >= minutesOf(interval.close)) {
      throw invalid(`${field}[${index}]`, "must open before it closes (use 24:00 for midnight)");
    }
    if (interval.open === "24:00") throw invalid(`${field}[${index}].open`, "cannot be 24:00");
    if (new Set(interval.days).size !== interval.days.length) {
      throw invalid(`${field}[${index}].days`, "lists a day twice");
    }
  });
  return value;
}

export function validateClosedDates(field: string, dates: readonly string[]): string[] {
  if (dates.length > 366) throw invalid(field, "holds at most 366 days");
  for (const [index, date] of dates.entries()) {
    if (!datePattern.test(date) || !DateTime.fromISO(date, { zone: "UTC" }).isValid) {
      throw invalid(`${field}[${index}]`, "must be a date YYYY-MM-DD");
    }
  }
  return [...new Set(dates)].sort();
}

/**
 * The instant a local wall-clock time happens in `zone`. A time skipped by a spring-forward
 * (02:30 on 2026-03-29 in Brussels) moves forward by the gap, as luxon does; an ambiguous one
 * (02:30 on 2026-10-25) is its first occurrence.
 */
function localInstant(day: DateTime, time: string): number {
  if (time === "24:00") return day.plus({ days: 1 }).startOf("day").toMillis();
  const minutes = minutesOf(time);
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/**
 * One local day's opening intervals, memoised: placing a wall-clock time in a zone costs luxon
 * an Intl lookup, and availability asks for the same days of the same centres all day long.
 * Keyed by zone, schedule and date, so an edited schedule simply misses.
 */
const dayCache = new Map<string, readonly Interval[]>();
const DAY_CACHE_SIZE = 20_000;

function dayIntervals(
  zone: string,
  scheduleKey: string,
  schedule: WeeklySchedule,
  date: string,
  weekday: number,
): readonly Interval[] {
  const key = `${zone}|${scheduleKey}|${date}`;
  const cached = dayCache.get(key);
  if (cached !== undefined) return cached;
  const day = DateTime.fromISO(date, { zone });
  const intervals = schedule
    .filter((interval) => interval.days.includes(weekday))
    .map((interval) => ({
      from: localInstant(day, interval.open),
      to: localInstant(day, interval.close),
    }));
  if (dayCache.size >= DAY_CACHE_SIZE) dayCache.clear();
  dayCache.set(key, intervals);
  return intervals;
}

const MS_PER_DAY = 86_400_000;

/**
 * The centre's open intervals overlapping `window`, as merged UTC intervals: each local day's
 * weekly hours placed in the centre's zone, so a 08:00 opening is 07:00Z in winter and 06:00Z in
 * summer, and DST days are 23 or 25 hours long.
 */
export function openIntervals(calendar: CentreCalendar, window: Interval): Interval[] {
  const zone = calendar.timeZone;
  const first = DateTime.fromMillis(window.from, { zone });
  const last = DateTime.fromMillis(window.to, { zone });
  // Walk the local calendar dates (zone-free date arithmetic on a UTC noon).
  const firstNoon = Date.UTC(first.year, first.month - 1, first.day, 12);
  const lastNoon = Date.UTC(last.year, last.month - 1, last.day, 12);
  const scheduleKey = JSON.stringify(calendar.openingHours);
  const intervals: Interval[] = [];
  for (let noon = firstNoon; noon <= lastNoon; noon += MS_PER_DAY) {
    const date = new Date(noon).toISOString().slice(0, 10);
    if (calendar.closedDates.has(date)) continue;
    const weekday = new Date(noon).getUTCDay() || 7; // ISO 8601: Monday 1 … Sunday 7
    intervals.push(...dayIntervals(zone, scheduleKey, calendar.openingHours, date, weekday));
  }
  return clipIntervals(mergeIntervals(intervals), window);
}

/** A booking must fit in one continuous opening (back-to-back intervals count as one). */
export function isWithinOpeningHours(calendar: CentreCalendar, booking: Interval): boolean {
  return covers(openIntervals(calendar, booking), booking);
}
