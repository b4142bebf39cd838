import { DomainError, notFound } from "../../../domain/domainError.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { badRequest, forbidden, HttpProblem } from "../../httpProblem.js";
import type { Principal } from "../../principal.js";
import { canSeeMember } from "../members/memberDirectory.js";

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
 * own). Staff book for "members of their centres": a coordinator for anyone; a manager for a
 * member they can see (home centre or a pass of one of their centres, as the member routes
 * decide; anyone else is 404, as if absent, so member ids cannot be probed), and only at a
 * centre they manage (403). Whether that member may be there at all is the pass check of the
 * reservation service.
 */
export async function bookingMemberFor(
  deps: ServiceDeps,
  principal: Principal,
  requested: string | undefined,
  centreId: string,
): Promise<string> {
  if (requested === undefined || requested === principal.memberId) {
    if (principal.memberId === null) {
      throw badRequest("body/memberId", "is required: this account is not a member's");
    }
    return principal.memberId;
  }
  if (principal.coordinator) return requested;
  if (principal.managerOf.length === 0) throw forbidden("a worker books for themself only");
  if (!(await canSeeMember(deps, principal, requested))) {
    throw notFound("member", requested, "memberId");
  }
  if (!principal.managerOf.includes(centreId)) {
    throw forbidden("you may book for others only at the centres you manage");
  }
  return requested;
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
