import type { ServiceDeps } from "../domain/serviceDeps.js";
import { type Month, monthLowerBound, monthOf, monthUpperBound } from "./months.js";
import { loadPresenceCentres } from "./presenceCentres.js";

export interface BookedVsUsedLine {
  readonly centreId: string;
  /** Bookings starting in the month, not cancelled by their owner or staff. */
  readonly bookings: number;
  readonly bookedMinutes: number;
  /** Of those, the ones whose member badged in (checked in). */
  readonly used: number;
  /** Released by the no-show sweep, or over without a badge-in. */
  readonly noShows: number;
  readonly cancelled: number;
  /** Billable minutes of the month's presence sessions at the centre (booked or not). */
  readonly presenceMinutes: number;
}

/** Booked against used per centre for a month (in each centre's zone). */
export async function bookedVsUsed(
  deps: ServiceDeps,
  month: Month,
  centreIds?: readonly string[],
): Promise<BookedVsUsedLine[]> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const centres = await loadPresenceCentres(db);
  let query = db
    .selectFrom("bookings")
    .select(["centre_id", "starts_at", "ends_at", "status", "checked_in_at", "cancel_reason"])
    .where("starts_at", ">=", monthLowerBound(month))
    .where("starts_at", "<", monthUpperBound(month));
  if (centreIds !== undefined) query = query.where("centre_id", "in", [...centreIds, ""]);
  const lines = new Map<string, { -readonly [K in keyof BookedVsUsedLine]: BookedVsUsedLine[K] }>();
  const lineOf = (centreId: string) => {
    let line = lines.get(centreId);
    if (line === undefined) {
      line = {
        centreId,
        bookings: 0,
        bookedMinutes: 0,
        used: 0,
        noShows: 0,
        cancelled: 0,
        presenceMinutes: 0,
      };
      lines.set(centreId, line);
    }
    return line;
  };
  for (const booking of await query.execute()) {
    const zone = centres.get(booking.centre_id)?.timeZone ?? "UTC";
    if (monthOf(booking.starts_at, zone) !== month) continue;
    const line = lineOf(booking.centre_id);
    const noShow =
      (booking.status === "released" && booking.cancel_reason === "no-show") ||
      (booking.status === "confirmed" && booking.checked_in_at === null && booking.ends_at <= now);
    if (booking.status === "cancelled") {
      line.cancelled += 1;
      continue;
    }
    line.bookings += 1;
    line.bookedMinutes += Math.round((booking.ends_at - booking.starts_at) / 60_000);
    if (booking.checked_in_at !== null) line.used += 1;
    if (noShow) line.noShows += 1;
  }
  let sessions = db
    .selectFrom("sessions")
    .select((eb) => ["centre_id", eb.fn.sum<number>("billable_minutes").as("minutes")])
    .where("month", "=", month);
  if (centreIds !== undefined) sessions = sessions.where("centre_id", "in", [...centreIds, ""]);
  for (const row of await sessions.groupBy("centre_id").execute()) {
    lineOf(row.centre_id).presenceMinutes += Number(row.minutes);
  }
  return [...lines.values()].sort((a, b) => (a.centreId < b.centreId ? -1 : 1));
}
