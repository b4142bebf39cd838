import type { CentreRules, WeeklySchedule } from "../schemas/bundle.js";
import { addDays, instantOfLocal, weekdayOf, zonedReading } from "./zonedTime.js";

/** What the closing time depends on: a centre's zone, weekly hours and holidays. */
export type CentreHours = Pick<CentreRules, "id" | "timeZone" | "openingHours" | "closedDates">;

type Interval = readonly [open: number, close: number];

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Open intervals of each ISO weekday (index 1 … 7) in minutes of the day, read the way the
 * gateway's access engine reads them (gateway/src/decision/weeklyHours.ts): an interval whose
 * close is not after its open ("22:00"–"06:00") runs past midnight into the next weekday.
 */
export function intervalsByWeekday(schedule: WeeklySchedule): Interval[][] {
  const week: Interval[][] = Array.from({ length: 8 }, () => []);
  for (const interval of schedule) {
    const open = minuteOf(interval.open);
    const close = minuteOf(interval.close);
    for (const day of interval.days) {
      if (close > open) {
        week[day]?.push([open, close]);
      } else {
        week[day]?.push([open, 1440]);
        if (close > 0) week[(day % 7) + 1]?.push([0, close]);
      }
    }
  }
  for (const day of week) day.sort((a, b) => a[0] - b[0]);
  return week;
}

/** The longest run of opening that contains `minute` on one day, or null when it is closed. */
function openRunEnd(intervals: readonly Interval[], minute: number): number | null {
  let end: number | null = null;
  for (const [open, close] of intervals) {
    if (end === null) {
      if (open <= minute && minute < close) end = close;
    } else if (open <= end && close > end) {
      // Touching or overlapping intervals ("08:00–12:00" and "12:00–18:00") are one opening.
      end = close;
    }
  }
  return end;
}

interface HoursIndex {
  readonly week: Interval[][];
  readonly closed: ReadonlySet<string>;
  /** Every weekday open from 00:00 to 24:00. */
  readonly aroundTheClock: boolean;
}

// Read once per schedule and closed-date list (the bundle's and the store's objects are reused
// across a rebuild's thousands of questions), not once per question.
const weekCache = new WeakMap<WeeklySchedule, Interval[][]>();
const closedCache = new WeakMap<readonly string[], ReadonlySet<string>>();

function hoursOf(centre: CentreHours): HoursIndex {
  let week = weekCache.get(centre.openingHours);
  if (week === undefined) {
    week = intervalsByWeekday(centre.openingHours);
    weekCache.set(centre.openingHours, week);
  }
  let closed = closedCache.get(centre.closedDates);
  if (closed === undefined) {
    closed = new Set(centre.closedDates);
    closedCache.set(centre.closedDates, closed);
  }
  const days = week;
  const aroundTheClock = [1, 2, 3, 4, 5, 6, 7].every(
    (day) => openRunEnd(days[day] ?? [], 0) === 1440,
  );
  return { week, closed, aroundTheClock };
}

/** How far ahead to follow an opening that runs through midnight before calling it "never closes". */
const maxDaysAhead = 8;

/**
 * When a session opened at `openedAt` meets the centre's closing time: the end of the opening
 * (local time, in the centre's IANA zone, DST-correct) that contains `openedAt`, followed through
 * midnight when the next day opens at 00:00 and is not a closed date. Null when `openedAt` is
 * outside the opening hours (a staff visit: only the inactivity limit closes it) or when the
 * centre never closes (open around the clock).
 */
export function closingTimeAfter(openedAt: number, centre: CentreHours): number | null {
  const { week, closed, aroundTheClock } = hoursOf(centre);
  // Open every minute of every weekday with no closed date: the loop below would follow the
  // opening for maxDaysAhead days to say so. Session rebuilds ask this for every replayed entry,
  // so the answer is given at once (it was half the cloud's CPU in the load run, docs/scale.md).
  if (aroundTheClock && closed.size === 0) return null;
  const local = zonedReading(openedAt, centre.timeZone);
  if (closed.has(local.date)) return null;
  let date = local.date;
  let end = openRunEnd(week[local.weekday] ?? [], local.minute);
  if (end === null) return null;
  for (let days = 0; end === 1440; days++) {
    const next = addDays(date, 1);
    const nextEnd = closed.has(next) ? null : openRunEnd(week[weekdayOf(next)] ?? [], 0);
    if (nextEnd === null) break; // closes at the midnight that ends `date`
    if (days === maxDaysAhead) return null; // open around the clock
    date = next;
    end = nextEnd;
  }
  const closing = instantOfLocal(date, end, centre.timeZone);
  if (closing > openedAt) return closing;
  // Opened in the repeated hour of an autumn change, after the first occurrence of the close.
  const later = instantOfLocal(date, end, centre.timeZone, "later");
  return later > openedAt ? later : null;
}
