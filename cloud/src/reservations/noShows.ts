import { sql } from "kysely";
import { commitChange } from "../domain/commitChange.js";
import { DomainError } from "../domain/domainError.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { instant } from "../domain/validation.js";
import type { Executor } from "../store/openStore.js";
import { StoreError } from "../store/storeError.js";
import { bookingLimits } from "./bookingLimits.js";
import { type Booking, bookingFromRow } from "./bookings.js";

export const noShowActor = "system:no-show" as const;

/**
 * Releases bookings nobody showed up for: still confirmed, no badge-in at the centre, and the
 * centre's no-show delay (settings.noShowReleaseMinutes, 0 = never) passed since the start.
 * Only bookings still running are released: freeing a slot that is over frees nothing, and a
 * booking without check-in already says "no-show" in the statistics. The server runs this
 * every minute or so; running it twice releases nothing twice.
 */
export async function releaseNoShows(deps: ServiceDeps): Promise<Booking[]> {
  return commitChange(deps, async (trx) => {
    // Every cloud instance runs the sweep: one at a time, so a booking is released (and its
    // audit entry written) once; the next one finds nothing left (docs/scale.md).
    await deps.store.locks.lockInTransaction(trx, "no-show-release");
    const now = deps.clock.now();
    const rows = await trx
      .selectFrom("bookings as b")
      .innerJoin("centres as c", "c.id", "b.centre_id")
      .selectAll("b")
      .where("b.status", "=", "confirmed")
      .where("b.checked_in_at", "is", null)
      .where("b.ends_at", ">", now)
      // Bounds for the (status, starts_at) index; the exact per-centre delay follows.
      .where("b.starts_at", "<", now)
      .where("b.starts_at", ">", now - bookingLimits.maxBookingMs)
      .where("c.no_show_release_minutes", ">", 0)
      .where(sql<number>`b.starts_at + c.no_show_release_minutes * 60000`, "<=", now)
      .orderBy("b.id")
      .execute();
    if (rows.length === 0) return { result: [] };
    const ids = rows.map((row) => row.id);
    const reason = "no-show";
    await trx
      .updateTable("bookings")
      .set({
        status: "released",
        cancelled_at: now,
        cancelled_by: noShowActor,
        cancel_reason: reason,
      })
      .where("id", "in", ids)
      .where("status", "=", "confirmed")
      .where("checked_in_at", "is", null)
      .execute();
    deps.logger
      .child({ module: "cloud:reservations" })
      .info({ count: rows.length }, "released no-show bookings");
    const released = rows.map((row) =>
      bookingFromRow({
        ...row,
        status: "released",
        cancelled_at: now,
        cancelled_by: noShowActor,
        cancel_reason: reason,
      }),
    );
    return {
      result: released,
      audit: released.map((booking) => ({
        actor: noShowActor,
        action: "booking.release",
        subject: `booking:${booking.id}`,
        centre: booking.centreId,
        detail: { member: booking.memberId, resource: booking.resourceId },
      })),
      accessChangedAt: released.map((booking) => booking.centreId),
    };
  });
}

/**
 * A granted entry of this member at this centre, inside the caller's transaction (the ingest
 * commits it with the event batch): their bookings there that are running, or start within the
 * centre's booking grace, count as attended and are never released. Returns how many it marked.
 */
export async function checkInBookings(
  trx: Executor,
  memberId: string,
  centreId: string,
  at: number,
): Promise<number> {
  const centre = await trx
    .selectFrom("centres")
    .select("booking_grace_minutes")
    .where("id", "=", centreId)
    .executeTakeFirst();
  if (centre === undefined) return 0;
  const result = await trx
    .updateTable("bookings")
    .set({ checked_in_at: at })
    .where("member_id", "=", memberId)
    .where("centre_id", "=", centreId)
    .where("status", "=", "confirmed")
    .where("checked_in_at", "is", null)
    .where("starts_at", "<=", at + centre.booking_grace_minutes * 60_000)
    .where("ends_at", ">", at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** checkInBookings in a transaction of its own, for a caller that has none. */
export async function markCheckedIn(
  deps: ServiceDeps,
  memberId: string,
  centreId: string,
  at: Date | number,
): Promise<number> {
  const when = instant("at", at);
  try {
    return await deps.store.write((trx) => checkInBookings(trx, memberId, centreId, when));
  } catch (error) {
    if (error instanceof StoreError && error.code === "busy") {
      throw new DomainError("conflict", "the store is busy with concurrent changes; retry");
    }
    throw error;
  }
}
