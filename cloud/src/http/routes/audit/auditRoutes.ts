import { Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { auditCsvHeader, auditCsvLine } from "../../../audit/auditCsv.js";
import { type AuditFilter, listAudit, scanAuditPages } from "../../../audit/auditQuery.js";
import { verifyAuditChain } from "../../../audit/verifyAuditChain.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { badRequest } from "../../httpProblem.js";
import { principalOf, requireCentre } from "../../plugins/accessControl.js";
import { staffCentres } from "../views/centreScope.js";
import { parseQueryRange } from "../views/instant.js";
import { decodeCursor, encodeCursor } from "../views/page.js";
import {
  AuditExportQuery,
  AuditListQuery,
  AuditPageView,
  AuditVerificationView,
  auditEntryView,
} from "./auditViews.js";

type FilterQuery = {
  centreId?: string;
  memberId?: string;
  doorId?: string;
  outcome?: AuditFilter["outcome"];
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
};

/**
 * The filter a caller may apply: a coordinator sees every entry; a manager only entries of
 * their centres (asking for another centre is a 404, as everywhere). Entries with no centre
 * (a login created, a network pass) are the coordinator's alone.
 */
function filterOf(request: FastifyRequest, query: FilterQuery): AuditFilter {
  let centreIds = staffCentres(principalOf(request));
  if (query.centreId !== undefined) {
    requireCentre(request, query.centreId);
    centreIds = [query.centreId];
  }
  const { from, to } = parseQueryRange(query);
  return {
    ...(centreIds === undefined ? {} : { centreIds }),
    ...(query.memberId === undefined ? {} : { memberId: query.memberId }),
    ...(query.doorId === undefined ? {} : { doorId: query.doorId }),
    ...(query.outcome === undefined ? {} : { outcome: query.outcome }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

function beforeOf(cursor: string | undefined): number | undefined {
  const id = decodeCursor(cursor);
  if (id === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(id)) {
    throw badRequest("querystring/cursor", "is not a cursor this API issued");
  }
  return Number(id);
}

/**
 * The tamper-evident audit log (docs/audit.md): query with filters and a cursor, export as
 * CSV streamed page by page, and verify the whole chain.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  const db = deps.store.db;

  app.get(
    "/audit",
    {
      schema: {
        tags: ["audit"],
        summary: "Audit entries, newest first (coordinator: all; manager: their centres)",
        querystring: AuditListQuery,
        response: { 200: AuditPageView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const filter = filterOf(request, request.query);
      const before = beforeOf(request.query.cursor);
      const page = await listAudit(db, filter, {
        limit: request.query.limit ?? 50,
        ...(before === undefined ? {} : { before }),
      });
      return {
        items: page.rows.map(auditEntryView),
        nextCursor: page.nextBefore === null ? null : encodeCursor(String(page.nextBefore)),
      };
    },
  );

  app.get(
    "/audit.csv",
    {
      schema: {
        tags: ["audit"],
        summary: "The same entries as CSV (RFC 4180), oldest first, streamed",
        querystring: AuditExportQuery,
        response: {
          200: {
            description: "text/csv: a header line, then one line per entry in chain order",
            content: { "text/csv": { schema: Type.String() } },
          },
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const pages = scanAuditPages(db, filterOf(request, request.query));
      // One chunk per page of rows: a write (and an HTTP chunk) per row would cost more than
      // the rows themselves. Readable.from pulls the next page only when the socket drains.
      async function* chunks() {
        yield auditCsvHeader;
        for await (const page of pages) yield page.map(auditCsvLine).join("");
      }
      const body = Readable.from(chunks(), { objectMode: false });
      body.on("error", (error) =>
        request.log.error({ err: error.message }, "audit export failed mid-stream"),
      );
      // The schema types the body as the CSV text; a stream of that text is what is sent.
      return (reply as FastifyReply)
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="audit.csv"')
        .header("cache-control", "no-store")
        .send(body);
    },
  );

  app.post(
    "/audit/verify",
    {
      schema: {
        tags: ["audit"],
        summary: "Walk the whole chain; report the first broken link",
        response: { 200: AuditVerificationView },
      },
      config: { access: ["coordinator"] },
    },
    async () => verifyAuditChain(db),
  );
};
