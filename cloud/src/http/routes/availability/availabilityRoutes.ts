import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { AvailabilityCache } from "../../../reservations/availabilityCache.js";
import { bookingLimits } from "../../../reservations/bookingLimits.js";
import { badRequest } from "../../httpProblem.js";
import { parseSpan, ZonedInstant } from "../views/instant.js";
import { decodeCursor, PageQuery } from "../views/page.js";
import { AvailabilityPageView, availabilityView } from "./availabilityView.js";
import { acceptsGzip, RenderedPages } from "./renderedPages.js";

const DAY = 86_400_000;
const maxDays = Math.floor(bookingLimits.maxSearchMs / DAY);

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
      return reply.send(payload as unknown as AvailabilityPageView);
    },
  );
};
