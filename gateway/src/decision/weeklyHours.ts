import { intervalsByWeekday, type WeeklySchedule } from "@passerelle/protocol";
import type { LocalTime } from "./localTime.js";

/** Open intervals in minutes of the day, per ISO weekday (index 1 … 7). */
export type CompiledWeek = readonly (readonly (readonly [number, number])[])[];

/**
 * Compiles "Mon–Fri 08:00–18:00" style schedules once per bundle, so the hot path only compares
 * integers. The one reading of opening hours is protocol's, shared with the presence rules
 * (closing time): an interval whose close is not after its open runs past midnight.
 */
export function compileWeek(schedule: WeeklySchedule): CompiledWeek {
  return intervalsByWeekday(schedule);
}

export function isWithin(week: CompiledWeek, local: LocalTime): boolean {
  const intervals = week[local.weekday];
  if (!intervals) return false;
  for (const [open, close] of intervals) {
    if (local.minute >= open && local.minute < close) return true;
  }
  return false;
}
