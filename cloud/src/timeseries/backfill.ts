import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { TimeSeriesPoint, TimeSeriesWriter } from "../ports/timeSeries.js";
import { bookingHours, doorEventHistory, type Period, presenceDays } from "./historyPoints.js";

export interface BackfillResult {
  readonly doorEvents: number;
  readonly bookingHours: number;
  readonly presenceDays: number;
}

/**
 * Rebuilds a period's door_event, bookings and presence_day series from the store and writes
 * them straight to the database (not through the queue: the operator watches it run, and a
 * failure stops it with the error). Idempotent: every point has the series and time the live
 * writer gives it, so a second run overwrites the first. occupancy, gateway_health and alarm
 * are live samples the store does not keep; they are not rebuilt.
 */
export async function backfillTimeSeries(
  deps: ServiceDeps,
  writer: TimeSeriesWriter,
  period: Period,
  batchSize = 5_000,
): Promise<BackfillResult> {
  const writeAll = async (points: readonly TimeSeriesPoint[]) => {
    for (let start = 0; start < points.length; start += batchSize) {
      await writer.write(points.slice(start, start + batchSize));
    }
  };
  let doorEvents = 0;
  for await (const page of doorEventHistory(deps, period, batchSize)) {
    await writeAll(page);
    doorEvents += page.length;
  }
  const hours = await bookingHours(deps, period);
  await writeAll(hours);
  const days = await presenceDays(deps, period);
  await writeAll(days);
  return { doorEvents, bookingHours: hours.length, presenceDays: days.length };
}
