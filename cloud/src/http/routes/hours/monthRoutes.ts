import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { closeMonth, getMonth, type MonthView as Month } from "../../../hours/monthClose.js";
import { actorOf } from "../views/centreScope.js";
import { MonthText, MonthView } from "./hoursViews.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(month: Month) {
  return {
    month: month.month,
    status: month.status,
    provisional: month.provisional,
    contentHash: month.contentHash,
    closed: month.status === "closed",
    closedAt: iso(month.closedAt),
    closedBy: month.closedBy,
    statement: month.statement,
  };
}

/** A month's state and its close (coordinator): the statement frozen with its sha256. */
export const monthRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  const params = Type.Object({ month: MonthText });

  app.get(
    "/months/:month",
    {
      schema: {
        tags: ["hours"],
        summary: "A month: provisional, open or closed; when closed, its frozen statement and hash",
        params,
        response: { 200: MonthView },
      },
      config: { access: ["coordinator"] },
    },
    async (request) => view(await getMonth(deps, request.params.month)),
  );

  app.post(
    "/months/:month/close",
    {
      schema: {
        tags: ["hours"],
        summary: "Close a month that has ended: freezes hours and settlement with a content hash",
        params,
        response: { 201: MonthView },
      },
      config: { access: ["coordinator"] },
    },
    async (request, reply) => {
      await closeMonth(deps, actorOf(request), request.params.month);
      return reply.code(201).send(view(await getMonth(deps, request.params.month)));
    },
  );
};
