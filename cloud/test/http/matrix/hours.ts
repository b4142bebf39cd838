import { uuidv7 } from "@passerelle/protocol";
import { DateTime } from "luxon";
import {
  coordinatorOnly,
  type MatrixContext,
  type MatrixRow,
  memberDataOfCentreA,
  staffOfCentreA,
  workerOnly,
} from "./matrixRow.js";

/** An ended month with no data of its own: reports of it are empty but answered. */
const month = "2026-11";
/** The month the close row closes: long over, and no other row's session lies in it. */
const monthToClose = "2026-01";

const ofCentreA =
  (extra = "") =>
  async () => ({ query: `month=${month}&centreId=redu${extra}` });

/**
 * A session of Ann's at centre A that ended a minute ago, so A's manager is within the edit
 * window (24 h after its end) whatever the day the tests run. Written straight into the derived
 * table: the session builder only makes sessions within opening hours, which "now" may not be.
 */
async function annsSessionAtA({ t }: MatrixContext, confirmed = 1): Promise<string> {
  const end = Date.now() - 60_000;
  const start = end - 3_600_000;
  const local = DateTime.fromMillis(start, { zone: "Europe/Brussels" });
  const id = uuidv7(start);
  await t.deps.store.db
    .insertInto("sessions")
    .values({
      id,
      member_id: t.ids.workerMemberId,
      centre_id: "redu",
      started_at: start,
      ended_at: end,
      close_reason: "exit",
      rule_close_reason: "exit",
      last_seen_at: start,
      held_until: end,
      confirmed,
      duration_ms: end - start,
      effective_ms: end - start,
      open_event_id: uuidv7(start),
      close_event_id: uuidv7(end),
      local_date: local.toISODate() ?? "",
      month: local.toFormat("yyyy-MM"),
      computed_minutes: 60,
      billable_minutes: 60,
      adjustment_id: null,
    })
    .execute();
  return id;
}

/** Rows for cloud/src/http/routes/hours/ (target: centre A's hours, Ann's sessions there). */
export const hoursRows: MatrixRow[] = [
  { route: "GET /reports/hours", expect: staffOfCentreA(200), prepare: ofCentreA() },
  {
    route: "GET /reports/hours.csv",
    expect: staffOfCentreA(200),
    mediaType: "text/csv",
    prepare: ofCentreA(),
  },
  { route: "GET /reports/booked-vs-used", expect: staffOfCentreA(200), prepare: ofCentreA() },
  // The plan: the settlement is the coordinator's; a manager sees their centres' lines.
  { route: "GET /reports/settlement", expect: staffOfCentreA(200), prepare: ofCentreA() },
  {
    route: "GET /reports/settlement.csv",
    expect: staffOfCentreA(200),
    mediaType: "text/csv",
    prepare: ofCentreA(),
  },
  {
    route: "GET /reports/network",
    expect: coordinatorOnly(200),
    prepare: async () => ({
      query: new URLSearchParams({
        from: "2026-11-01T00:00:00+01:00",
        to: "2026-12-01T00:00:00+01:00",
        centreId: "redu",
      }).toString(),
    }),
  },
  {
    route: "GET /me/hours",
    expect: workerOnly(200),
    prepare: async () => ({ query: `month=${month}` }),
  },
  {
    route: "GET /sessions",
    // Staff see their centres' sessions, a worker their own: Ann's at A, asked for by name.
    expect: memberDataOfCentreA(200),
    prepare: async ({ t }) => ({
      query: `centreId=redu&memberId=${t.ids.workerMemberId}`,
    }),
  },
  {
    route: "POST /sessions/:sessionId/adjustments",
    expect: staffOfCentreA(201),
    body: { minutes: 45, reason: "left early" },
    prepare: async (ctx) => ({ params: { sessionId: await annsSessionAtA(ctx) } }),
  },
  {
    route: "GET /centres/:centreId/sessions/unconfirmed",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  {
    route: "POST /sessions/:sessionId/confirmation",
    expect: staffOfCentreA(201),
    body: {},
    // An unconfirmed session each time, so each allowed call confirms one.
    prepare: async (ctx) => ({ params: { sessionId: await annsSessionAtA(ctx, 0) } }),
  },
  { route: "GET /months/:month", expect: coordinatorOnly(200), params: { month } },
  {
    route: "POST /months/:month/close",
    // Only the coordinator's call reaches the close, so the month is closed once.
    expect: coordinatorOnly(201),
    params: { month: monthToClose },
  },
];
