import { DomainError } from "../../../domain/domainError.js";
import { badRequest, forbidden, HttpProblem } from "../../httpProblem.js";
import type { Principal } from "../../principal.js";

/**
 * Who may see (and cancel) a booking: its member, a manager of its centre, a coordinator.
 * Anyone else gets 404, never 403: booking ids are not to be probed.
 */
export function canHandleBooking(
  principal: Principal,
  booking: { centreId: string; memberId: string },
): boolean {
  return (
    principal.coordinator ||
    principal.managerOf.includes(booking.centreId) ||
    (principal.memberId !== null && principal.memberId === booking.memberId)
  );
}

/**
 * For whom a booking request books. A worker books for themself (memberId absent or their
 * own); staff may book for a member at a centre they manage, a coordinator anywhere. Whether
 * that member may be there at all is the pass check of the reservation service.
 */
export function bookingMemberFor(
  principal: Principal,
  requested: string | undefined,
  centreId: string,
): string {
  if (requested === undefined || requested === principal.memberId) {
    if (principal.memberId === null) {
      throw badRequest("body/memberId", "is required: this account is not a member's");
    }
    return principal.memberId;
  }
  if (principal.coordinator || principal.managerOf.includes(centreId)) return requested;
  throw forbidden(
    principal.managerOf.length > 0
      ? "you may book for others only at the centres you manage"
      : "a worker books for themself only",
  );
}

/**
 * The reservation service says "forbidden" when the member holds no pass for the slot; to the
 * caller that is a state of the member, not of their role: 409 naming memberId (docs/api.md).
 */
export function noPassAsConflict(error: unknown): never {
  if (error instanceof DomainError && error.code === "forbidden") {
    throw new HttpProblem(409, "Conflict", error.message, [
      { field: `body/${error.field ?? "memberId"}`, message: error.message },
    ]);
  }
  throw error;
}
