import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { AvailabilityPage } from "../../../reservations/availability.js";
import type { AvailabilityCache } from "../../../reservations/availabilityCache.js";
import { bookingLimits } from "../../../reservations/bookingLimits.js";
import { badRequest } from "../../httpProblem.js";
import { parseSpan, UtcInstant, ZonedInstant } from "../views/instant.js";
import { decodeCursor, encodeCursor, Page, PageQuery } from "../views/page.js";
import { acceptsGzip, RenderedPages } from "./renderedPages.js";

const DAY = 86_400_000;
const maxDays = Math.floor(bookingLimits.maxSearchMs / DAY);

const AvailabilityPageView = Page(
  Type.Object({
    resourceId: Type.String(),
    centreId: Type.String(),
    kind: Type.Union([Type.Literal("desk"), Type.Literal("zone"), Type.Literal("room")]),
    name: Type.String(),
    capacity: Type.Integer(),
    slots: Type.Array(
      Type.Object({
        start: UtcInstant,
        end: UtcInstant,
        free: Type.Integer({ description: "places free throughout the slot" }),
      }),
    ),
  }),
);

function availabilityView(page: AvailabilityPage): Static<typeof AvailabilityPageView> {
  return {
    items: page.items.map((item) => ({
      resourceId: item.resource.id,
      centreId: item.centreId,
      kind: item.resource.kind,
      name: item.resource.name,
      capacity: item.resource.capacity,
      slots: item.slots.map((slot) => ({
        start: slot.start.toISOString(),
        end: slot.end.toISOString(),
        free: slot.free,
      })),
    })),
    nextCursor: page.next === null ? null : encodeCursor(page.next),
  };
}

/**
 * GET /availability: when each resource of a kind is free, in one centre or the whole network.
 * Answers come from the AvailabilityCache (a few seconds, invalidated by every booking change).
 * A range longer than 31 days is refused with 400, never computed; resources come in pages.
 */
export const availabilityRoutes: FastifyPluginAsyncTypebox<{
  availability: AvailabilityCache;
}> = async (app, { availability }) => {
  const rendered = new RenderedPages();
  app.get(
    "/availability",
    {
      schema: {
        tags: ["reservations"],
        summary: `Free slots per resource within [from, to) (at most ${maxDays} days), paged by resource`,
        querystring: Type.Object(
          {
            centreId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            from: ZonedInstant,
            to: ZonedInstant,
            kind: Type.Union([Type.Literal("desk"), Type.Literal("zone"), Type.Literal("room")]),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: AvailabilityPageView },
      },
      config: { access: "authenticated" },
    },
    async (request, reply) => {
      const { centreId, kind, limit, cursor } = request.query;
      const { start: from, end: to } = parseSpan(
        "querystring/from",
        request.query.from,
        "querystring/to",
        request.query.to,
      );
      // Checked here too so the problem names the query field; the service refuses it as well.
      if (to - from > bookingLimits.maxSearchMs) {
        throw badRequest(
          "querystring/to",
          `a search covers at most ${maxDays} days; ask for the next period separately`,
        );
      }
      const after = decodeCursor(cursor);
      const page = await availability.search({
        kind,
        from,
        to,
        limit: limit ?? 50,
        ...(centreId === undefined ? {} : { centreId }),
        ...(after === undefined ? {} : { after }),
      });
      const { payload, gzip } = rendered.body(
        page,
        availabilityView,
        acceptsGzip(request.headers["accept-encoding"]),
      );
      void reply.type("application/json; charset=utf-8").header("vary", "accept-encoding");
      if (gzip) void reply.header("content-encoding", "gzip");
      // A rendered body (string or gzip bytes) is sent as it is: fastify serialises only
      // objects. It is this page's view, so the response schema still describes it.
      return reply.send(payload as unknown as Static<typeof AvailabilityPageView>);
    },
  );
};
