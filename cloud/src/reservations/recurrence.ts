import { DateTime } from "luxon";
import rrule from "rrule";
import { invalid } from "../domain/domainError.js";
import type { Interval } from "../domain/intervals.js";
import { bookingLimits } from "./bookingLimits.js";

// rrule ships CommonJS for Node (its "module" build is for bundlers): take the default export.
const { RRule, Frequency } = rrule;

export interface RecurrenceInput {
  /** An RFC 5545 RRULE value, e.g. "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10" (an "RRULE:" prefix is fine). */
  readonly rrule: string;
  /** Local wall-clock start of the first occurrence in the centre's zone, "YYYY-MM-DDTHH:mm". */
  readonly localStart: string;
  readonly timeZone: string;
  readonly durationMinutes: number;
}

const localStartPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const allowedFrequencies = new Set([Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY]);

function parseRule(text: string) {
  const value = text.trim().replace(/^RRULE:/i, "");
  // The series' start and zone come from their own fields: one source of truth for each.
  if (/[\r\n]/.test(value) || /(^|;)(DTSTART|TZID)=/i.test(value)) {
    throw invalid("rrule", "give only the RRULE value; the start comes from localStart");
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(value);
  } catch {
    throw invalid("rrule", "is not an RFC 5545 RRULE value");
  }
  if (options.freq === undefined || !allowedFrequencies.has(options.freq)) {
    throw invalid("rrule", "FREQ must be DAILY, WEEKLY or MONTHLY");
  }
  return options;
}

/**
 * The occurrences of a recurring booking as UTC intervals, at most maxOccurrences, spanning at
 * most maxSeriesSpanMs. The rule is expanded in "floating" time (wall-clock fields carried in
 * UTC Dates, which rrule handles exactly) and each occurrence is then placed in the centre's
 * zone, so a weekly 09:00 meeting stays at 09:00 local across DST changes (RFC 5545 §3.3.10:
 * recurrence follows local time). UNTIL is read as local wall-clock time, like the start.
 */
export function expandOccurrences(input: RecurrenceInput): Interval[] {
  if (!localStartPattern.test(input.localStart)) {
    throw invalid("localStart", "must be a local time YYYY-MM-DDTHH:mm");
  }
  const floatingStart = DateTime.fromISO(input.localStart, { zone: "UTC" });
  if (!floatingStart.isValid) throw invalid("localStart", "is not a valid date and time");
  if (!Number.isSafeInteger(input.durationMinutes) || input.durationMinutes < 1) {
    throw invalid("durationMinutes", "must be a positive whole number of minutes");
  }
  if (input.durationMinutes * 60_000 > bookingLimits.maxBookingMs) {
    throw invalid("durationMinutes", "an occurrence lasts at most 31 days");
  }
  const rule = new RRule({
    ...parseRule(input.rrule),
    dtstart: floatingStart.toJSDate(),
    tzid: null,
  });
  const cap = bookingLimits.maxOccurrences;
  const floating = rule.all((_date, index) => index <= cap);
  if (floating.length > cap) {
    throw invalid("rrule", `has more than ${cap} occurrences; add COUNT or UNTIL`);
  }
  const intervals = floating.map((date) => {
    const wall = DateTime.fromJSDate(date, { zone: "UTC" });
    const start = DateTime.fromObject(
      { year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
      { zone: input.timeZone },
    );
    const from = start.toMillis();
    return { from, to: from + input.durationMinutes * 60_000 };
  });
  const first = intervals[0];
  const last = intervals.at(-1);
  if (first === undefined || last === undefined) throw invalid("rrule", "has no occurrence");
  if (last.from - first.from > bookingLimits.maxSeriesSpanMs) {
    throw invalid("rrule", "a series spans at most 366 days");
  }
  return intervals;
}
