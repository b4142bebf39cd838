import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { DomainError } from "../../../domain/domainError.js";
import { getResource } from "../../../domain/resources.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { getBooking } from "../../../reservations/bookings.js";
import { cancelBooking, cancelSeries } from "../../../reservations/cancelBooking.js";
import { createBooking } from "../../../reservations/createBooking.js";
import { forbidden, notFound } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { canSeeCentre, type Principal } from "../../principal.js";
import { actorOf } from "../views/centreScope.js";
import { parseQueryRange, parseSpan, ZonedInstant } from "../views/instant.js";
import { PageQuery } from "../views/page.js";
import { bookingMemberFor, canHandleBooking, noPassAsConflict } from "./bookingAccess.js";
import { listVisibleBookings } from "./bookingListQuery.js";
import { BookingPage, BookingView, bookingView } from "./bookingView.js";

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Status = Type.Union([
  Type.Literal("confirmed"),
  Type.Literal("cancelled"),
  Type.Literal("released"),
]);
const ListQuery = {
  from: Type.Optional(ZonedInstant),
  to: Type.Optional(ZonedInstant),
  status: Type.Optional(Status),
  ...PageQuery,
};
const CancelQuery = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
const staffAndWorkers = ["worker", "manager", "coordinator"] as const;

/**
 * Bookings: list (by role), one, create (for oneself, or by staff for a member of their
 * centres), cancel one or a whole series. Reservation rules (opening hours, passes, overlaps,
 * the lock that prevents double booking) live in reservations/; here: who may, and the shapes.
 */
export const bookingRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/bookings",
    {
      schema: {
        tags: ["bookings"],
        summary:
          "Bookings by start time: a coordinator's all, a manager's centres', a worker's own",
        querystring: Type.Object(
          {
            centreId: Type.Optional(Id),
            memberId: Type.Optional(Id),
            resourceId: Type.Optional(Id),
            ...ListQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: BookingPage },
      },
      config: { access: staffAndWorkers },
    },
    async (request) => {
      const principal = principalOf(request);
      const { centreId, memberId, resourceId, status, limit, cursor } = request.query;
      const isStaff = principal.coordinator || principal.managerOf.length > 0;
      // A manager asking about another centre learns nothing of it (404, as requireCentre);
      // a worker may narrow their own bookings to any centre.
      if (
        centreId !== undefined &&
        !canSeeCentre(principal, centreId) &&
        principal.memberId === null
      )
        throw notFound("centre");
      if (!isStaff && memberId !== undefined && memberId !== principal.memberId)
        throw forbidden("a worker sees their own bookings only");
      const page = await listVisibleBookings(deps, principal, {
        ...parseQueryRange(request.query),
        ...(centreId === undefined ? {} : { centreId }),
        ...(memberId === undefined ? {} : { memberId }),
        ...(resourceId === undefined ? {} : { resourceId }),
        ...(status === undefined ? {} : { status }),
        ...(cursor === undefined ? {} : { cursor }),
        limit: limit ?? 50,
      });
      return { items: page.items.map(bookingView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/me/bookings",
    {
      schema: {
        tags: ["bookings"],
        summary: "My bookings, by start time",
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: BookingPage },
      },
      config: { access: ["worker"] },
    },
    async (request) => {
      const principal = principalOf(request);
      const { status, limit, cursor } = request.query;
      const page = await listVisibleBookings(
        deps,
        // Only their own, even for a worker who also manages a centre.
        { ...principal, coordinator: false, managerOf: [] },
        {
          ...parseQueryRange(request.query),
          ...(status === undefined ? {} : { status }),
          ...(cursor === undefined ? {} : { cursor }),
          limit: limit ?? 50,
        },
      );
      return { items: page.items.map(bookingView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/bookings/:bookingId",
    {
      schema: {
        tags: ["bookings"],
        summary: "One booking (its member, a manager of its centre, a coordinator)",
        params: Type.Object({ bookingId: Id }),
        response: { 200: BookingView },
      },
      config: { access: staffAndWorkers },
    },
    async (request) => {
      const booking = await visibleBooking(deps, principalOf(request), request.params.bookingId);
      return bookingView(booking);
    },
  );

  app.post(
    "/bookings",
    {
      schema: {
        tags: ["bookings"],
        summary: "Book a resource; staff may book for a member of their centres",
        body: Type.Object(
          {
            resourceId: Id,
            start: ZonedInstant,
            end: ZonedInstant,
            memberId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 201: BookingView },
      },
      config: { access: staffAndWorkers },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { start, end } = parseSpan(
        "body/start",
        request.body.start,
        "body/end",
        request.body.end,
      );
      const resource = await getResource(deps, request.body.resourceId);
      const memberId = await bookingMemberFor(
        deps,
        principal,
        request.body.memberId,
        resource.centreId,
      );
      const booking = await createBooking(deps, actorOf(request), {
        resourceId: resource.id,
        memberId,
        start,
        end,
      }).catch(noPassAsConflict);
      return reply.status(201).send(bookingView(booking));
    },
  );

  app.delete(
    "/bookings/:bookingId",
    {
      schema: {
        tags: ["bookings"],
        summary: "Cancel a booking (its member, a manager of its centre, a coordinator)",
        params: Type.Object({ bookingId: Id }),
        querystring: CancelQuery,
        response: { 200: BookingView },
      },
      config: { access: staffAndWorkers },
    },
    async (request) => {
      const principal = principalOf(request);
      const booking = await visibleBooking(deps, principal, request.params.bookingId);
      const reason = request.query.reason ?? defaultReason(principal, booking.memberId);
      return bookingView(await cancelBooking(deps, actorOf(request), booking.id, reason));
    },
  );

  app.delete(
    "/bookings/series/:seriesId",
    {
      schema: {
        tags: ["bookings"],
        summary: "Cancel every occurrence of a recurring booking that has not ended",
        params: Type.Object({ seriesId: Id }),
        querystring: CancelQuery,
        response: { 200: Type.Object({ seriesId: Type.String(), cancelled: Type.Integer() }) },
      },
      config: { access: staffAndWorkers },
    },
    async (request) => {
      const principal = principalOf(request);
      const { seriesId } = request.params;
      const series = await deps.store.db
        .selectFrom("booking_series")
        .innerJoin("resources", "resources.id", "booking_series.resource_id")
        .select(["booking_series.member_id", "resources.centre_id"])
        .where("booking_series.id", "=", seriesId)
        .executeTakeFirst();
      if (
        series === undefined ||
        !canHandleBooking(principal, { centreId: series.centre_id, memberId: series.member_id })
      )
        throw notFound("booking series");
      const reason = request.query.reason ?? defaultReason(principal, series.member_id);
      const cancelled = await cancelSeries(deps, actorOf(request), seriesId, reason);
      return { seriesId, cancelled };
    },
  );
};

async function visibleBooking(deps: ServiceDeps, principal: Principal, bookingId: string) {
  const booking = await getBooking(deps, bookingId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "not-found") return undefined;
    throw error;
  });
  if (booking === undefined || !canHandleBooking(principal, booking)) throw notFound("booking");
  return booking;
}

function defaultReason(principal: Principal, memberId: string): string {
  return principal.memberId === memberId ? "cancelled by the member" : "cancelled by staff";
}
