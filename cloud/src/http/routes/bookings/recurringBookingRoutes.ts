import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { DateTime } from "luxon";
import { getCentre } from "../../../domain/centres.js";
import { DomainError } from "../../../domain/domainError.js";
import { getResource } from "../../../domain/resources.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { createRecurringBookings } from "../../../reservations/createRecurringBookings.js";
import { badRequest, HttpProblem } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { parseSpan, UtcInstant, ZonedInstant } from "../views/instant.js";
import { bookingMemberFor, noPassAsConflict } from "./bookingAccess.js";
import { BookingView, bookingView } from "./bookingView.js";

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Reason = Type.Union([
  Type.Literal("past"),
  Type.Literal("closed"),
  Type.Literal("no-pass"),
  Type.Literal("already-booked"),
  Type.Literal("taken"),
]);
const MINUTE = 60_000;
/** A refusal lists at most this many occurrences; the detail says how many there were. */
const MAX_LISTED = 50;

interface RefusedOccurrence {
  start: string;
  end: string;
  reason: string;
}

/**
 * A refused series (refuse-all with a conflict, or no occurrence free) as a problem listing the
 * occurrences and why each failed, so the client can show them: 409 when other bookings are in
 * the way, 400 when the series itself is wrong (past, outside opening hours).
 */
function seriesRefusal(error: unknown): never {
  const occurrences = error instanceof DomainError ? error.detail?.occurrences : undefined;
  if (error instanceof DomainError && Array.isArray(occurrences)) {
    const listed = (occurrences as RefusedOccurrence[]).slice(0, MAX_LISTED);
    throw new HttpProblem(
      error.code === "conflict" ? 409 : 400,
      error.code === "conflict" ? "Conflict" : "Bad Request",
      error.message,
      listed.map((o) => ({ field: "body/rrule", message: `${o.start}: ${o.reason}` })),
    );
  }
  return noPassAsConflict(error);
}

/**
 * POST /bookings/recurring: a series from an RFC 5545 RRULE. The first occurrence's start and
 * end are instants with a zone offset like any booking; the series repeats at the same wall-clock
 * time in the centre's zone (so 09:00 stays 09:00 across daylight-saving changes).
 */
export const recurringBookingRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.post(
    "/bookings/recurring",
    {
      schema: {
        tags: ["bookings"],
        summary: "Book a recurring series, skipping conflicts or refusing them all",
        body: Type.Object(
          {
            resourceId: Id,
            start: ZonedInstant,
            end: ZonedInstant,
            rrule: Type.String({
              minLength: 1,
              maxLength: 500,
              description: "RFC 5545 RRULE value, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=12",
            }),
            mode: Type.Union([Type.Literal("skip-conflicts"), Type.Literal("refuse-all")]),
            memberId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            seriesId: Type.String(),
            created: Type.Array(BookingView),
            skipped: Type.Array(
              Type.Object({
                start: UtcInstant,
                end: UtcInstant,
                reason: Reason,
              }),
            ),
          }),
        },
      },
      config: { access: ["worker", "manager", "coordinator"] },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { body } = request;
      const { start, end } = parseSpan("body/start", body.start, "body/end", body.end);
      // The series is kept as local wall-clock minutes: seconds would be silently lost.
      if (start % MINUTE !== 0) throw badRequest("body/start", "must be on a whole minute");
      if (end % MINUTE !== 0) throw badRequest("body/end", "must be on a whole minute");
      const resource = await getResource(deps, body.resourceId);
      const memberId = await bookingMemberFor(deps, principal, body.memberId, resource.centreId);
      const centre = await getCentre(deps, resource.centreId);
      const localStart = DateTime.fromMillis(start, { zone: centre.timeZone }).toFormat(
        "yyyy-MM-dd'T'HH:mm",
      );
      const result = await createRecurringBookings(deps, `user:${principal.userId}`, {
        resourceId: resource.id,
        memberId,
        rrule: body.rrule,
        localStart,
        durationMinutes: (end - start) / MINUTE,
        mode: body.mode,
      }).catch(seriesRefusal);
      return reply.status(201).send({
        seriesId: result.seriesId,
        created: result.created.map(bookingView),
        skipped: result.skipped.map((s) => ({
          start: s.start.toISOString(),
          end: s.end.toISOString(),
          reason: s.reason,
        })),
      });
    },
  );
};
