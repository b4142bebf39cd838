import { commitChange } from "../domain/commitChange.js";
import { conflict, invalid, notFound } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { text } from "../domain/validation.js";
import { type Booking, bookingFromRow, loadBookingRow } from "./bookings.js";

/**
 * Cancels a confirmed booking that has not ended; the resource is free again at once and the
 * centre's door rules are rebuilt. Who may cancel whose booking is the API's decision.
 */
export async function cancelBooking(
  deps: ServiceDeps,
  actor: Actor,
  bookingId: string,
  reason: string,
): Promise<Booking> {
  const why = text("reason", reason);
  return commitChange(deps, async (trx) => {
    const row = await loadBookingRow(trx, bookingId);
    const now = deps.clock.now();
    if (row.status !== "confirmed")
      throw conflict(`the booking is already ${row.status}`, "bookingId");
    if (row.ends_at <= now) throw invalid("bookingId", "the booking is over");
    const cancelled = {
      ...row,
      status: "cancelled" as const,
      cancelled_at: now,
      cancelled_by: actor,
      cancel_reason: why,
    };
    await trx
      .updateTable("bookings")
      .set({ status: "cancelled", cancelled_at: now, cancelled_by: actor, cancel_reason: why })
      .where("id", "=", bookingId)
      .where("status", "=", "confirmed")
      .execute();
    return {
      result: bookingFromRow(cancelled),
      audit: [
        {
          actor,
          action: "booking.cancel",
          subject: `booking:${bookingId}`,
          centre: row.centre_id,
          detail: { member: row.member_id, reason: why },
        },
      ],
      accessChangedAt: [row.centre_id],
    };
  });
}

/** Cancels every occurrence of a series that has not ended yet; returns how many. */
export async function cancelSeries(
  deps: ServiceDeps,
  actor: Actor,
  seriesId: string,
  reason: string,
): Promise<number> {
  const why = text("reason", reason);
  return commitChange(deps, async (trx) => {
    const series = await trx
      .selectFrom("booking_series")
      .innerJoin("resources", "resources.id", "booking_series.resource_id")
      .select(["booking_series.id", "booking_series.member_id", "resources.centre_id"])
      .where("booking_series.id", "=", seriesId)
      .executeTakeFirst();
    if (series === undefined) throw notFound("series", seriesId, "seriesId");
    const now = deps.clock.now();
    const result = await trx
      .updateTable("bookings")
      .set({ status: "cancelled", cancelled_at: now, cancelled_by: actor, cancel_reason: why })
      .where("series_id", "=", seriesId)
      .where("status", "=", "confirmed")
      .where("ends_at", ">", now)
      .executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    return {
      result: count,
      audit: [
        {
          actor,
          action: "booking.cancel-series",
          subject: `series:${seriesId}`,
          centre: series.centre_id,
          detail: { member: series.member_id, reason: why, cancelled: count },
        },
      ],
      accessChangedAt: count > 0 ? [series.centre_id] : [],
    };
  });
}
