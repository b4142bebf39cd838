import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { confirmSession } from "../../../hours/confirmations.js";
import { type CorrectionInput, correctSession } from "../../../hours/corrections.js";
import {
  editWindows,
  listSessions,
  type SessionCursor,
  sessionCentre,
} from "../../../hours/sessionList.js";
import type { SessionsTable } from "../../../store/database.js";
import { badRequest, forbidden } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { CentreParams } from "../centres/centreView.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { parseInstant, parseQueryRange, ZonedInstant } from "../views/instant.js";
import { Page, PageQuery } from "../views/page.js";
import { SessionView } from "./hoursViews.js";
import { reportCentres } from "./reportScope.js";

function view(row: SessionsTable, editWindowMinutes: ReadonlyMap<string, number>) {
  const window = (editWindowMinutes.get(row.centre_id) ?? 0) * 60_000;
  return {
    id: row.id,
    memberId: row.member_id,
    centreId: row.centre_id,
    start: new Date(row.started_at).toISOString(),
    end: new Date(row.ended_at).toISOString(),
    closeReason: row.close_reason,
    ruleCloseReason: row.rule_close_reason,
    confirmed: row.confirmed === 1,
    editableUntil: new Date(row.ended_at + window).toISOString(),
    openEventId: row.open_event_id,
    closeEventId: row.close_event_id,
    localDate: row.local_date,
    month: row.month,
    computedMinutes: row.computed_minutes,
    billableMinutes: row.billable_minutes,
    adjustmentId: row.adjustment_id,
  };
}

const encodeCursor = (cursor: SessionCursor) =>
  Buffer.from(`${cursor.startedAt}.${cursor.id}`, "utf8").toString("base64url");

function decodeCursor(text: string | undefined): SessionCursor | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{1,16})\.([0-9A-Za-z-]{1,64})$/.exec(
    Buffer.from(text, "base64url").toString(),
  );
  const startedAt = Number(match?.[1]);
  if (match === null || !Number.isSafeInteger(startedAt)) {
    throw badRequest("querystring/cursor", "is not a cursor this API issued");
  }
  return { startedAt, id: match[2] as string };
}

const CorrectionBody = Type.Union([
  Type.Object(
    {
      minutes: Type.Integer({
        minimum: 0,
        maximum: 1440,
        description: "the session's billable minutes",
      }),
      reason: Type.String({ minLength: 1, maxLength: 500 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      start: ZonedInstant,
      end: ZonedInstant,
      reason: Type.String({ minLength: 1, maxLength: 500 }),
    },
    { additionalProperties: false },
  ),
]);

/** The members a caller may list sessions of: staff by centre; a worker only themself. */
function sessionScope(request: FastifyRequest, query: { centreId?: string; memberId?: string }) {
  const principal = principalOf(request);
  if (!principal.coordinator && principal.managerOf.length === 0) {
    // Someone else's sessions are refused, not answered with the caller's own under that name;
    // the centre filter narrows their own, as for bookings.
    if (query.memberId !== undefined && query.memberId !== principal.memberId) {
      throw forbidden("a worker sees their own sessions only");
    }
    return {
      memberId: principal.memberId ?? "",
      centreIds: query.centreId === undefined ? undefined : [query.centreId],
    };
  }
  return { memberId: query.memberId, centreIds: reportCentres(request, query.centreId) };
}

/** Presence sessions, each traceable to its access events, and their corrections. */
export const sessionRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/sessions",
    {
      schema: {
        tags: ["hours"],
        summary: "Presence sessions, newest first (staff: their centres; a worker: their own)",
        querystring: Type.Object(
          {
            centreId: Type.Optional(Type.String({ maxLength: 64 })),
            memberId: Type.Optional(Type.String({ maxLength: 64 })),
            from: Type.Optional(ZonedInstant),
            to: Type.Optional(ZonedInstant),
            confirmed: Type.Optional(
              Type.Boolean({ description: "false: only sessions still to confirm" }),
            ),
            ...PageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(SessionView) },
      },
      config: { access: "authenticated" },
    },
    async (request) => {
      const query = request.query;
      const scope = sessionScope(request, query);
      const after = decodeCursor(query.cursor);
      const page = await listSessions(
        deps,
        {
          ...(scope.centreIds === undefined ? {} : { centreIds: scope.centreIds }),
          ...(scope.memberId === undefined ? {} : { memberId: scope.memberId }),
          ...parseQueryRange(query),
          ...(query.confirmed === undefined ? {} : { confirmed: query.confirmed }),
        },
        { limit: query.limit ?? 50, ...(after === undefined ? {} : { after }) },
      );
      const windows = await editWindows(deps);
      return {
        items: page.rows.map((row) => view(row, windows)),
        nextCursor: page.next === null ? null : encodeCursor(page.next),
      };
    },
  );

  app.get(
    "/centres/:centreId/sessions/unconfirmed",
    {
      schema: {
        tags: ["hours"],
        summary:
          "A centre's sessions closed by a no-exit rule and not yet confirmed or corrected, in months not closed, newest first",
        params: CentreParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(SessionView) },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      const after = decodeCursor(request.query.cursor);
      const page = await listSessions(
        deps,
        {
          centreIds: [centreId],
          confirmed: false,
          openMonthsOnly: true,
          endedBy: deps.clock.now(),
        },
        { limit: request.query.limit ?? 50, ...(after === undefined ? {} : { after }) },
      );
      const windows = await editWindows(deps);
      return {
        items: page.rows.map((row) => view(row, windows)),
        nextCursor: page.next === null ? null : encodeCursor(page.next),
      };
    },
  );

  app.post(
    "/sessions/:sessionId/confirmation",
    {
      schema: {
        tags: ["hours"],
        summary:
          "Confirm a session a no-exit rule closed, as it stands (manager of its centre within the edit window; coordinator)",
        params: Type.Object({ sessionId: Type.String({ maxLength: 64 }) }),
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: {
          201: Type.Object({
            adjustmentId: Type.String(),
            sessionId: Type.String(),
            confirmed: Type.Literal(true),
          }),
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { sessionId } = request.params;
      const thing = { what: "session", id: sessionId, field: "sessionId" };
      const centreId = await sessionCentre(deps, sessionId);
      const principal = requireCentreOf(request, centreId ?? "", thing);
      const outcome = await confirmSession(
        deps,
        actorOf(request),
        principal.coordinator ? "coordinator" : "manager",
        sessionId,
      );
      return reply.code(201).send(outcome);
    },
  );

  app.post(
    "/sessions/:sessionId/adjustments",
    {
      schema: {
        tags: ["hours"],
        summary:
          "Correct a session by an appended adjustment with a reason (manager of its centre within the edit window; coordinator)",
        params: Type.Object({ sessionId: Type.String({ maxLength: 64 }) }),
        body: CorrectionBody,
        response: {
          201: Type.Object({
            adjustmentId: Type.String(),
            sessionId: Type.String(),
            previousMinutes: Type.Integer(),
            minutes: Type.Integer(),
          }),
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { sessionId } = request.params;
      const thing = { what: "session", id: sessionId, field: "sessionId" };
      const centreId = await sessionCentre(deps, sessionId);
      // Unknown, or another centre's: the same 404.
      const principal = requireCentreOf(request, centreId ?? "", thing);
      const body = request.body;
      const input: CorrectionInput =
        "minutes" in body
          ? { minutes: body.minutes, reason: body.reason }
          : {
              start: parseInstant("body/start", body.start),
              end: parseInstant("body/end", body.end),
              reason: body.reason,
            };
      const outcome = await correctSession(
        deps,
        actorOf(request),
        principal.coordinator ? "coordinator" : "manager",
        sessionId,
        input,
      );
      return reply.code(201).send(outcome);
    },
  );
};
