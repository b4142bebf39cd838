import type { WeeklySchedule } from "@passerelle/protocol";
import type { LocalTime } from "./localTime.js";

/** Open intervals in minutes of the day, per ISO weekday (index 1 … 7). */
export type CompiledWeek = readonly (readonly [number, number])[][];

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Compiles "Mon–Fri 08:00–18:00" style schedules once per bundle, so the hot path only compares
 * integers. An interval whose close is not after its open ("22:00"–"06:00") runs past midnight
 * and is split into its two days.
 */
export function compileWeek(schedule: WeeklySchedule): CompiledWeek {
  const week: [number, number][][] = Array.from({ length: 8 }, () => []);
  for (const interval of schedule) {
    const open = minuteOf(interval.open);
    const close = minuteOf(interval.close);
    for (const day of interval.days) {
      if (close > open) {
        week[day]?.push([open, close]);
      } else {
        week[day]?.push([open, 1440]);
        week[(day % 7) + 1]?.push([0, close]);
      }
    }
  }
  return week;
}

export function isWithin(week: CompiledWeek, local: LocalTime): boolean {
  const intervals = week[local.weekday];
  if (!intervals) return false;
  for (const [open, close] of intervals) {
    if (local.minute >= open && local.minute < close) return true;
  }
  return false;
}
