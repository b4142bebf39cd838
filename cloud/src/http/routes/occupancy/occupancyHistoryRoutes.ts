import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { listCentres, loadCentre } from "../../../domain/centres.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import {
  type HistorySources,
  networkDaysFigures,
  weekViewFigures,
} from "../../../occupancy/occupancyHistoryFigures.js";
import type { OccupancyHistory } from "../../../ports/occupancyHistory.js";
import { principalOf, requireCentre } from "../../plugins/accessControl.js";
import { staffCentres } from "../views/centreScope.js";
import { NetworkDaysView, WeekView } from "./occupancyHistoryViews.js";

export interface OccupancyHistoryRoutesOptions {
  deps: ServiceDeps;
  /** In order of preference: InfluxDB where configured, then the store. */
  histories: readonly OccupancyHistory[];
}

const CentreParams = Type.Object({ centreId: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Past occupancy for the console (docs/dashboards.md "In the console"): a centre's day against
 * the same weekday of the weeks before, and the network's last 30 days. Counts only, no names.
 */
export const occupancyHistoryRoutes: FastifyPluginAsyncTypebox<
  OccupancyHistoryRoutesOptions
> = async (app, { deps, histories }) => {
  const sources: HistorySources = { preferred: histories, logger: app.log };

  app.get(
    "/centres/:centreId/occupancy/week",
    {
      schema: {
        tags: ["occupancy"],
        summary:
          "Today's peak per hour against the mean of the same weekday over the previous weeks",
        params: CentreParams,
        querystring: Type.Object(
          { weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, default: 4 })) },
          { additionalProperties: false },
        ),
        response: { 200: WeekView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      requireCentre(request, request.params.centreId);
      const centre = await loadCentre(deps.store.db, request.params.centreId);
      return weekViewFigures(sources, centre, deps.clock.now(), request.query.weeks ?? 4);
    },
  );

  app.get(
    "/occupancy/days",
    {
      schema: {
        tags: ["occupancy"],
        summary:
          "Each centre's peak occupancy per day over the last days (a manager: their centres)",
        querystring: Type.Object(
          { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 92, default: 30 })) },
          { additionalProperties: false },
        ),
        response: { 200: NetworkDaysView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const ids = staffCentres(principalOf(request));
      const centres = await listCentres(deps, ids === undefined ? {} : { ids });
      return networkDaysFigures(sources, centres, deps.clock.now(), request.query.days ?? 30);
    },
  );
};
