import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { csvRecord } from "../../../csv/csvRecord.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import {
  hoursReport,
  type SettlementReport,
  settlementReport,
} from "../../../hours/monthReports.js";
import { forbidden } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { hoursCsv } from "./hoursCsv.js";
import { HoursReportView, MonthText, SettlementReportView } from "./hoursViews.js";
import { reportCentres } from "./reportScope.js";

const HoursQuery = Type.Object(
  {
    month: MonthText,
    centreId: Type.Optional(Type.String({ maxLength: 64 })),
    memberId: Type.Optional(Type.String({ maxLength: 64 })),
    by: Type.Optional(
      Type.Union([Type.Literal("month"), Type.Literal("day")], { default: "month" }),
    ),
  },
  { additionalProperties: false },
);

const SettlementQuery = Type.Object(
  {
    month: MonthText,
    centreId: Type.Optional(Type.String({ maxLength: 64 })),
    detail: Type.Optional(
      Type.Union([Type.Literal("sessions")], { description: "list each line's session ids" }),
    ),
  },
  { additionalProperties: false },
);

const csvResponse = (description: string) => ({
  200: { description, content: { "text/csv": { schema: Type.String() } } },
});

function sendCsv(reply: FastifyReply, name: string, body: string) {
  return reply
    .type("text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}"`)
    .header("cache-control", "no-store")
    .send(body);
}

function settlementCsv(report: SettlementReport): string {
  let text = csvRecord([
    "month",
    "status",
    "centre_id",
    "member_id",
    "sessions",
    "minutes",
    "hourly_rate_cents",
    "amount_cents",
    "session_ids",
  ]);
  for (const centre of report.lines) {
    for (const line of centre.members) {
      text += csvRecord([
        report.month,
        report.status,
        centre.centreId,
        line.memberId,
        line.sessionCount,
        line.minutes,
        centre.hourlyRateCents,
        line.amountCents,
        (line.sessionIds ?? []).join(" "),
      ]);
    }
  }
  return text;
}

/**
 * Hours and settlement reports (docs/hours.md). A closed month is answered from its frozen
 * statement: the same query gives the same bytes forever.
 */
export const reportRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  const staffHours = (query: typeof HoursQuery.static, centreIds: readonly string[] | undefined) =>
    hoursReport(
      deps,
      query.month,
      {
        ...(centreIds === undefined ? {} : { centreIds }),
        ...(query.memberId === undefined ? {} : { memberId: query.memberId }),
      },
      query.by === "day",
    );

  app.get(
    "/reports/hours",
    {
      schema: {
        tags: ["hours"],
        summary: "Hours per member per centre for a month (?by=day adds the days)",
        querystring: HoursQuery,
        response: { 200: HoursReportView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => staffHours(request.query, reportCentres(request, request.query.centreId)),
  );

  app.get(
    "/reports/hours.csv",
    {
      schema: {
        tags: ["hours"],
        summary:
          "The hours report as CSV (RFC 4180): a line per member and centre, or with ?by=day a line per member, centre and day instead",
        querystring: HoursQuery,
        response: csvResponse("text/csv, one header line then one line per member and centre"),
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const report = await staffHours(
        request.query,
        reportCentres(request, request.query.centreId),
      );
      const byDay = request.query.by === "day";
      return sendCsv(
        reply as FastifyReply,
        `hours-${report.month}${byDay ? "-days" : ""}.csv`,
        hoursCsv(report, byDay),
      );
    },
  );

  app.get(
    "/me/hours",
    {
      schema: {
        tags: ["hours"],
        summary: "The caller's own hours for a month, per centre and day",
        querystring: Type.Object({ month: MonthText }, { additionalProperties: false }),
        response: { 200: HoursReportView },
      },
      config: { access: ["worker"] },
    },
    async (request) => {
      const memberId = principalOf(request).memberId;
      if (memberId === null) throw forbidden("only a member has hours");
      return hoursReport(deps, request.query.month, { memberId }, true);
    },
  );

  const settlement = (
    query: typeof SettlementQuery.static,
    centreIds: readonly string[] | undefined,
  ) =>
    settlementReport(
      deps,
      query.month,
      centreIds === undefined ? {} : { centreIds },
      query.detail === "sessions",
    );

  app.get(
    "/reports/settlement",
    {
      schema: {
        tags: ["hours"],
        summary: "What the network pays each centre for a month: network members' hours × rate",
        querystring: SettlementQuery,
        response: { 200: SettlementReportView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => settlement(request.query, reportCentres(request, request.query.centreId)),
  );

  app.get(
    "/reports/settlement.csv",
    {
      schema: {
        tags: ["hours"],
        summary: "The settlement as CSV, one line per centre and member, with its session ids",
        querystring: SettlementQuery,
        response: csvResponse("text/csv, one header line then one line per centre and member"),
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const report = await settlement(
        { ...request.query, detail: "sessions" },
        reportCentres(request, request.query.centreId),
      );
      return sendCsv(
        reply as FastifyReply,
        `settlement-${report.month}.csv`,
        settlementCsv(report),
      );
    },
  );
};
