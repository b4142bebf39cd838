import { addDays, instantOfLocal, weekdayOf, zonedReading } from "@passerelle/protocol";
import type { HourFigure, OccupancyHistory } from "../ports/occupancyHistory.js";
import { hourRange } from "./hourFigures.js";

/*
 * The console's two views of past occupancy (docs/dashboards.md "In the console"): a centre's
 * day against the same weekday of the weeks before, and each centre's days of the last month.
 * "Occupancy" of an hour or a day is its peak: the most people inside at once.
 */

export interface CentreOfHistory {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly capacity: number;
}

/** Where to read: InfluxDB first where configured, the store when it fails or is absent. */
export interface HistorySources {
  readonly preferred: readonly OccupancyHistory[];
  /** Told when a source fails and the next one is read. */
  readonly logger: { warn(details: object, message: string): void };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** A centre's hours over one span, from the first source that answers. */
async function readHours(
  sources: HistorySources,
  centreId: string,
  fromMs: number,
  toMs: number,
): Promise<{ source: OccupancyHistory["source"]; hours: HourFigure[] }> {
  const range = hourRange(fromMs, toMs);
  let failure: unknown;
  for (const history of sources.preferred) {
    try {
      return {
        source: history.source,
        hours: await history.hours(centreId, range.fromMs, range.toMs),
      };
    } catch (error) {
      failure = error;
      sources.logger.warn(
        { source: history.source, err: (error as Error).message },
        "occupancy history unavailable, reading the next source",
      );
    }
  }
  throw failure ?? new Error("no occupancy history source");
}

/** Peak per local hour of the day (0…23) of `date`; the repeated hour of autumn keeps its max. */
function peaksByLocalHour(hours: readonly HourFigure[], date: string, timeZone: string): number[] {
  const peaks = new Array<number>(24).fill(0);
  for (const hour of hours) {
    const reading = zonedReading(hour.hourMs, timeZone);
    if (reading.date !== date) continue;
    const index = Math.floor(reading.minute / 60);
    peaks[index] = Math.max(peaks[index] ?? 0, hour.peak);
  }
  return peaks;
}

export interface WeekViewFigures {
  readonly centreId: string;
  readonly date: string;
  /** ISO weekday of `date` (1 = Monday). */
  readonly weekday: number;
  /** The earlier dates averaged (the same weekday, 1 to `weeks` weeks before). */
  comparedDates: string[];
  readonly source: OccupancyHistory["source"];
  readonly capacity: number;
  hours: {
    readonly hour: number;
    /** Null for the hours of today still to come. */
    readonly today: number | null;
    /** Mean of the compared dates' peaks at that hour, to two decimals. */
    readonly typical: number;
  }[];
}

export async function weekViewFigures(
  sources: HistorySources,
  centre: CentreOfHistory,
  nowMs: number,
  weeks = 4,
): Promise<WeekViewFigures> {
  const zone = centre.timeZone;
  const today = zonedReading(nowMs, zone);
  const dates = Array.from({ length: weeks + 1 }, (_, i) => addDays(today.date, -7 * i));
  let source: OccupancyHistory["source"] = "store";
  const perDate: number[][] = [];
  for (const date of dates) {
    const read = await readHours(
      sources,
      centre.id,
      instantOfLocal(date, 0, zone),
      instantOfLocal(addDays(date, 1), 0, zone),
    );
    if (date === today.date) source = read.source;
    perDate.push(peaksByLocalHour(read.hours, date, zone));
  }
  const [todays = [], ...earlier] = perDate;
  const currentHour = Math.floor(today.minute / 60);
  return {
    centreId: centre.id,
    date: today.date,
    weekday: weekdayOf(today.date),
    comparedDates: dates.slice(1),
    source,
    capacity: centre.capacity,
    hours: Array.from({ length: 24 }, (_, hour) => ({
      hour,
      today: hour > currentHour ? null : (todays[hour] ?? 0),
      typical: round2(earlier.reduce((sum, peaks) => sum + (peaks[hour] ?? 0), 0) / weeks),
    })),
  };
}

export interface NetworkDaysFigures {
  readonly from: string;
  readonly to: string;
  readonly source: OccupancyHistory["source"];
  centres: {
    readonly centreId: string;
    readonly name: string;
    readonly capacity: number;
    days: {
      readonly date: string;
      readonly peak: number;
      readonly rate: number;
    }[];
  }[];
}

/** Each centre's peak per local day over the `days` days ending today (today so far included). */
export async function networkDaysFigures(
  sources: HistorySources,
  centres: readonly CentreOfHistory[],
  nowMs: number,
  days = 30,
): Promise<NetworkDaysFigures> {
  let source: OccupancyHistory["source"] = "store";
  let from = "";
  let to = "";
  const rows: NetworkDaysFigures["centres"][number][] = [];
  for (const centre of centres) {
    const zone = centre.timeZone;
    const last = zonedReading(nowMs, zone).date;
    const first = addDays(last, -(days - 1));
    [from, to] = [first, last];
    const read = await readHours(
      sources,
      centre.id,
      instantOfLocal(first, 0, zone),
      Math.min(nowMs, instantOfLocal(addDays(last, 1), 0, zone)),
    );
    source = read.source;
    const peaks = new Map<string, number>();
    for (const hour of read.hours) {
      const date = zonedReading(hour.hourMs, zone).date;
      peaks.set(date, Math.max(peaks.get(date) ?? 0, hour.peak));
    }
    rows.push({
      centreId: centre.id,
      name: centre.name,
      capacity: centre.capacity,
      days: Array.from({ length: days }, (_, i) => {
        const date = addDays(first, i);
        const peak = peaks.get(date) ?? 0;
        return { date, peak, rate: centre.capacity > 0 ? round3(peak / centre.capacity) : 0 };
      }),
    });
  }
  return { from, to, source, centres: rows };
}
