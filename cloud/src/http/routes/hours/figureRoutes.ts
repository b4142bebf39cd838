import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { bookedVsUsed } from "../../../hours/bookedVsUsed.js";
import { monthState } from "../../../hours/monthReports.js";
import { networkFigures } from "../../../hours/networkFigures.js";
import { parseSpan, ZonedInstant } from "../views/instant.js";
import { BookedVsUsedView, MonthText, NetworkFiguresView } from "./hoursViews.js";
import { reportCentres } from "./reportScope.js";

/** Booked against used, and the network's figures per centre (users a day, occupancy). */
export const figureRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/reports/booked-vs-used",
    {
      schema: {
        tags: ["hours"],
        summary: "Bookings of a month against their use (badge-in), no-shows, presence minutes",
        querystring: Type.Object(
          { month: MonthText, centreId: Type.Optional(Type.String({ maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: BookedVsUsedView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const centreIds = reportCentres(request, request.query.centreId);
      const state = await monthState(deps, request.query.month);
      return { ...state, lines: await bookedVsUsed(deps, request.query.month, centreIds) };
    },
  );

  app.get(
    "/reports/network",
    {
      schema: {
        tags: ["hours"],
        summary:
          "Per centre over a period: distinct users a day (average, peak), occupancy rate, peak occupancy",
        querystring: Type.Object(
          {
            from: ZonedInstant,
            to: ZonedInstant,
            centreId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: NetworkFiguresView },
      },
      config: { access: ["coordinator"] },
    },
    async (request) => {
      const { start: from, end: to } = parseSpan(
        "querystring/from",
        request.query.from,
        "querystring/to",
        request.query.to,
      );
      const centreIds = request.query.centreId === undefined ? undefined : [request.query.centreId];
      return {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        centres: await networkFigures(deps, from, to, centreIds),
      };
    },
  );
};
