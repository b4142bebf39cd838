import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import {
  type AccessEventFilter,
  AccessEventLog,
  decodeEventCursor,
  encodeEventCursor,
} from "../../../events/accessEventLog.js";
import { badRequest, forbidden } from "../../httpProblem.js";
import { principalOf, requireCentre } from "../../plugins/accessControl.js";
import { staffCentres } from "../views/centreScope.js";
import { parseQueryRange } from "../views/instant.js";
import {
  AccessEventPageView,
  accessEventView,
  csvHeader,
  csvLine,
  MyListQuery,
  StaffExportQuery,
  StaffListQuery,
} from "./accessEventViews.js";

const rowsPerChunk = 250;

interface Filters {
  centreId?: string;
  memberId?: string;
  doorId?: string;
  type?: string;
  outcome?: "granted" | "denied";
  reason?: string;
  from?: string;
  to?: string;
}

/** The query's filters as the store takes them; `from` must come before `to`. */
function filterOf(query: Filters, centreIds: readonly string[] | undefined): AccessEventFilter {
  const { from, to } = parseQueryRange(query);
  return {
    ...(centreIds === undefined ? {} : { centreIds }),
    ...(query.memberId === undefined ? {} : { memberId: query.memberId }),
    ...(query.doorId === undefined ? {} : { doorId: query.doorId }),
    ...(query.type === undefined ? {} : { type: query.type }),
    ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
    ...(query.reason === undefined ? {} : { reason: query.reason }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/**
 * The centres a staff caller's query covers: the one asked for (404 for a manager when it is
 * not theirs), else every centre (coordinator: undefined) or their own.
 */
function centresAsked(request: FastifyRequest, centreId: string | undefined) {
  if (centreId === undefined) return staffCentres(principalOf(request));
  requireCentre(request, centreId);
  return [centreId];
}

/**
 * The access log (docs/api.md "Live and access log"): every event the gateways reported, newest
 * first, filtered and paged by an opaque cursor; a CSV export of the same, streamed; and a
 * worker's own history.
 */
export const accessEventsRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  const events = new AccessEventLog(deps.store);

  const page = async (filter: AccessEventFilter, query: { cursor?: string; limit?: number }) => {
    const after = query.cursor === undefined ? undefined : decodeEventCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) {
      throw badRequest("querystring/cursor", "is not a cursor this API gave out");
    }
    const result = await events.list(filter, {
      limit: query.limit ?? 50,
      ...(after === undefined ? {} : { after }),
    });
    return {
      items: result.rows.map(accessEventView),
      nextCursor: result.next === null ? null : encodeEventCursor(result.next),
    };
  };

  app.get(
    "/access-events",
    {
      schema: {
        tags: ["access log"],
        summary: "Access events, newest first (coordinator: all; manager: their centres)",
        querystring: StaffListQuery,
        response: { 200: AccessEventPageView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) =>
      page(filterOf(request.query, centresAsked(request, request.query.centreId)), request.query),
  );

  app.get(
    "/access-events.csv",
    {
      schema: {
        tags: ["access log"],
        summary: "The same events as CSV (RFC 4180), streamed",
        querystring: StaffExportQuery,
        response: {
          200: {
            description: "text/csv, one header line then one line per event, newest first",
            content: { "text/csv": { schema: Type.String() } },
          },
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const filter = {
        ...filterOf(request.query, centresAsked(request, request.query.centreId)),
        // A fixed end: what arrives during a long download is not half in it.
        receivedUpTo: deps.clock.now(),
      };
      const rows = events.scan(filter);
      // A few hundred rows per socket write: one write per row costs more than the query.
      async function* lines() {
        let chunk = csvHeader;
        let count = 0;
        for await (const row of rows) {
          chunk += csvLine(row);
          count += 1;
          if (count === rowsPerChunk) {
            yield chunk;
            chunk = "";
            count = 0;
          }
        }
        if (chunk !== "") yield chunk;
      }
      const body = Readable.from(lines(), { objectMode: false });
      body.on("error", (error) =>
        request.log.error({ err: error.message }, "access-events export failed mid-stream"),
      );
      // The schema types the body as the CSV text; a stream of that text is what is sent.
      return (reply as FastifyReply)
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="access-events.csv"')
        .header("cache-control", "no-store")
        .send(body);
    },
  );

  app.get(
    "/me/access-events",
    {
      schema: {
        tags: ["access log"],
        summary: "My own access history, newest first",
        querystring: MyListQuery,
        response: { 200: AccessEventPageView },
      },
      config: { access: ["worker"] },
    },
    async (request) => {
      const memberId = principalOf(request).memberId;
      if (memberId === null) throw forbidden("this login is not a member");
      const centreIds = request.query.centreId === undefined ? undefined : [request.query.centreId];
      return page(filterOf({ ...request.query, memberId }, centreIds), request.query);
    },
  );
};
