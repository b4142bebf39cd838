import { uuidv7 } from "@passerelle/protocol";
import { commitChange } from "../domain/commitChange.js";
import { conflict, DomainError, invalid } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import type { BookingsTable } from "../store/database.js";
import { bookingInterval, isInPast } from "./bookingLimits.js";
import { type Booking, bookingFromRow } from "./bookings.js";
import {
  type BookingContext,
  lockBookingContext,
  type SlotProblem,
  slotProblem,
} from "./slotCheck.js";

export interface BookingRequest {
  readonly resourceId: string;
  readonly memberId: string;
  /** UTC instants; the API refuses times without an explicit zone before they get here. */
  readonly start: Date | number;
  readonly end: Date | number;
}

/** A slot's problem as the error the caller sees. */
export function slotError(problem: SlotProblem, ctx: BookingContext): DomainError {
  switch (problem) {
    case "past":
      return invalid("start", "a booking cannot start in the past");
    case "closed":
      return invalid("start", `outside the opening hours of ${ctx.centre.name}`);
    case "no-pass":
      return new DomainError(
        "forbidden",
        "the member holds no pass valid at this centre for that time",
        "memberId",
      );
    case "already-booked":
      return conflict(
        `the member already holds a booking of ${ctx.resource.name} at that time`,
        "start",
      );
    case "taken":
      return conflict(
        ctx.resource.kind === "zone"
          ? `no seat left in ${ctx.resource.name} at that time`
          : `${ctx.resource.name} is already booked at that time`,
        "resourceId",
      );
  }
}

export function bookingRow(
  ctx: BookingContext,
  memberId: string,
  slot: { from: number; to: number },
  actor: Actor,
  now: number,
  seriesId: string | null = null,
): BookingsTable {
  return {
    id: uuidv7(now),
    resource_id: ctx.resource.id,
    centre_id: ctx.centre.id,
    member_id: memberId,
    series_id: seriesId,
    starts_at: slot.from,
    ends_at: slot.to,
    status: "confirmed",
    created_at: now,
    created_by: actor,
    checked_in_at: null,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
  };
}

/**
 * Books a resource. Checked and inserted inside one write transaction holding the resource's
 * lock, so two requests for the last seat cannot both succeed: one gets the booking, the other
 * DomainError "conflict".
 */
export async function createBooking(
  deps: ServiceDeps,
  actor: Actor,
  request: BookingRequest,
): Promise<Booking> {
  const slot = bookingInterval(request.start, request.end);
  const now = deps.clock.now();
  // Cheap refusal before queueing for the lock; checked again inside with the same clock.
  if (isInPast(slot, now)) throw invalid("start", "a booking cannot start in the past");
  return commitChange(deps, async (trx) => {
    const ctx = await lockBookingContext(deps.store, trx, request.resourceId, request.memberId);
    const problem = await slotProblem(trx, ctx, slot, now);
    if (problem !== undefined) throw slotError(problem, ctx);
    const row = bookingRow(ctx, request.memberId, slot, actor, now);
    await trx.insertInto("bookings").values(row).execute();
    return {
      result: bookingFromRow(row),
      audit: [
        {
          actor,
          action: "booking.create",
          subject: `booking:${row.id}`,
          centre: ctx.centre.id,
          detail: {
            resource: ctx.resource.id,
            member: row.member_id,
            start: new Date(slot.from).toISOString(),
            end: new Date(slot.to).toISOString(),
          },
        },
      ],
      accessChangedAt: [ctx.centre.id],
    };
  });
}
