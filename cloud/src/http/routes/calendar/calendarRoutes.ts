import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import {
  memberBookingsCalendar,
  resourceBookingsCalendar,
} from "../../../calendar/bookingFeeds.js";
import {
  issueFeedToken,
  memberOfFeedToken,
  revokeFeedToken,
} from "../../../calendar/feedTokens.js";
import { DomainError } from "../../../domain/domainError.js";
import { getResource } from "../../../domain/resources.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { badRequest, notFound } from "../../httpProblem.js";
import { principalOf, requireCentre } from "../../plugins/accessControl.js";

/** RFC 5545 §8.1: the media type, with its charset (UTF-8 is the default, said anyway). */
const calendarType = "text/calendar; charset=utf-8";
const Ics = Type.String({ description: "RFC 5545 iCalendar object" });

/** A member's new secret feed link (GET /me/calendar-link). */
const CalendarLinkView = Type.Object({
  url: Type.String({ description: "https URL for calendar apps (shown this once)" }),
  webcalUrl: Type.String({
    description: "the same as webcal://, which opens the calendar app",
  }),
  createdAt: Type.String({ format: "date-time" }),
});
export type CalendarLinkView = Static<typeof CalendarLinkView>;

/**
 * iCalendar feeds. A member subscribes to their bookings through a secret link, since
 * calendar apps cannot send an Authorization header: the token in the path is the credential
 * (stored hashed; asking for a new link revokes the old one). A resource's calendar is for its
 * centre's staff and takes the usual bearer token.
 */
export const calendarRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/me/calendar-link",
    {
      schema: {
        tags: ["calendar"],
        summary:
          "A new secret link to my bookings as an iCalendar feed; the previous link stops working",
        response: {
          200: CalendarLinkView,
        },
      },
      config: { access: ["worker"] },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const memberId = principal.memberId;
      if (memberId === null) throw badRequest("principal", "this account is not a member's");
      const { token, createdAt } = await issueFeedToken(deps, `user:${principal.userId}`, memberId);
      // Built from the request so it matches how this client reaches the API (behind a proxy,
      // set fastify's trustProxy so protocol and host are the public ones).
      const url = `${request.protocol}://${request.host}/api/v1/calendar/${token}.ics`;
      // A GET that issues a secret: never to be cached by anything on the way.
      void reply.header("cache-control", "no-store");
      return {
        url,
        webcalUrl: url.replace(/^https?:/, "webcal:"),
        createdAt: createdAt.toISOString(),
      };
    },
  );

  app.delete(
    "/me/calendar-link",
    {
      schema: {
        tags: ["calendar"],
        summary: "Revoke my calendar feed link without issuing another",
        response: { 204: Type.Null() },
      },
      config: { access: ["worker"] },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.memberId !== null) {
        await revokeFeedToken(deps, `user:${principal.userId}`, principal.memberId);
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/calendar/:feedToken.ics",
    {
      schema: {
        tags: ["calendar"],
        summary:
          "A member's bookings as iCalendar, through their secret feed link (no header needed)",
        security: [],
        params: Type.Object({ feedToken: Type.String({ maxLength: 200 }) }),
        produces: ["text/calendar"],
        response: { 200: Ics },
      },
      config: { access: "public" },
    },
    async (request, reply) => {
      const memberId = await memberOfFeedToken(deps, request.params.feedToken);
      // One answer for unknown, revoked and malformed tokens: nothing to probe.
      if (memberId === undefined) throw notFound("calendar feed");
      const body = await memberBookingsCalendar(deps, memberId);
      return reply.type(calendarType).header("cache-control", "private, max-age=300").send(body);
    },
  );

  app.get(
    "/resources/:resourceId/calendar.ics",
    {
      schema: {
        tags: ["calendar"],
        summary: "A resource's bookings as iCalendar (managers of its centre, coordinators)",
        params: Type.Object({ resourceId: Type.String({ minLength: 1, maxLength: 128 }) }),
        produces: ["text/calendar"],
        response: { 200: Ics },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const resource = await getResource(deps, request.params.resourceId).catch((error) => {
        if (error instanceof DomainError && error.code === "not-found") throw notFound("resource");
        throw error;
      });
      // A manager of another centre: 404, as if the resource were not there.
      try {
        requireCentre(request, resource.centreId);
      } catch {
        throw notFound("resource");
      }
      const body = await resourceBookingsCalendar(deps, resource);
      return reply.type(calendarType).header("cache-control", "private, no-cache").send(body);
    },
  );
};
