import { instantOfLocal, zonedReading } from "@passerelle/protocol";

/** Where an instant falls in a zone's local day: ISO weekday, date and minutes since midnight. */
export interface LocalDay {
  readonly date: string;
  readonly weekday: number;
  readonly minute: number;
  /** The instant of local midnight that day (DST days are 23 or 25 h long). */
  readonly midnight: number;
}

/** The zone reading of protocol's presence rules, with the day's midnight. */
export function localDay(at: number, timeZone: string): LocalDay {
  const reading = zonedReading(at, timeZone);
  return { ...reading, midnight: instantOfLocal(reading.date, 0, timeZone) };
}

/** Today at `hhmm` in the zone: where a compressed simulated day starts. */
export function localTimeToday(now: number, timeZone: string, hhmm: string): number {
  const [hours, minutes] = hhmm.split(":").map(Number);
  const today = zonedReading(now, timeZone).date;
  return instantOfLocal(today, (hours ?? 0) * 60 + (minutes ?? 0), timeZone);
}
