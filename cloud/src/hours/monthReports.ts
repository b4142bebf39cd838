import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { Executor } from "../store/openStore.js";
import {
  type FigureContext,
  type HoursDay,
  type HoursLine,
  liveHoursDays,
  liveHoursLines,
  liveSettlement,
  type ReportScope,
  type SettlementCentre,
} from "./liveFigures.js";
import { type Month, monthEnd } from "./months.js";
import { loadPresenceCentres, type PresenceCentre } from "./presenceCentres.js";

/**
 * provisional: the month is not over (figures still move); open: over, not closed (late events
 * and corrections may still move them); closed: frozen statement, the same bytes forever.
 */
export type MonthStatus = "provisional" | "open" | "closed";

export interface MonthState {
  readonly month: Month;
  readonly status: MonthStatus;
  readonly provisional: boolean;
  readonly contentHash: string | null;
}

/** A closed month's statement, frozen as canonical JSON at close (docs/hours.md). */
export interface Statement {
  readonly month: Month;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly hours: HoursLine[];
  readonly days: HoursDay[];
  readonly settlement: SettlementCentre[];
}

export interface HoursReport extends MonthState {
  readonly lines: HoursLine[];
  readonly days?: HoursDay[];
}

export interface SettlementReport extends MonthState {
  readonly currency: "EUR";
  readonly totalCents: number;
  /** One line per centre paid, each with its members' lines. */
  readonly lines: SettlementCentre[];
}

interface ClosedMonth {
  readonly hash: string;
  readonly statement: Statement;
}

async function closedMonth(db: Executor, month: Month): Promise<ClosedMonth | null> {
  const row = await db
    .selectFrom("month_closes")
    .select(["content_hash", "statement"])
    .where("month", "=", month)
    .executeTakeFirst();
  if (row === undefined) return null;
  return { hash: row.content_hash, statement: JSON.parse(row.statement) as Statement };
}

function stateOf(
  month: Month,
  closed: ClosedMonth | null,
  centres: ReadonlyMap<string, PresenceCentre>,
  now: number,
): MonthState {
  if (closed !== null) {
    return { month, status: "closed", provisional: false, contentHash: closed.hash };
  }
  const ended =
    now >=
    monthEnd(
      month,
      [...centres.values()].map((c) => c.timeZone),
    );
  return {
    month,
    status: ended ? "open" : "provisional",
    provisional: !ended,
    contentHash: null,
  };
}

function inScope<T extends { centreId: string; memberId: string }>(scope: ReportScope) {
  return (line: T) =>
    (scope.centreIds === undefined || scope.centreIds.includes(line.centreId)) &&
    (scope.memberId === undefined || scope.memberId === line.memberId);
}

function liveContext(
  db: Executor,
  month: Month,
  scope: ReportScope,
  centres: ReadonlyMap<string, PresenceCentre>,
  state: MonthState,
  now: number,
): FigureContext {
  return { db, month, scope, centres, runningAt: state.provisional ? now : null };
}

export async function monthState(deps: ServiceDeps, month: Month): Promise<MonthState> {
  const centres = await loadPresenceCentres(deps.store.db);
  return stateOf(month, await closedMonth(deps.store.db, month), centres, deps.clock.now());
}

/** Hours per member per centre for a month (and per day with `byDay`), frozen once closed. */
export async function hoursReport(
  deps: ServiceDeps,
  month: Month,
  scope: ReportScope,
  byDay = false,
): Promise<HoursReport> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const centres = await loadPresenceCentres(db);
  const closed = await closedMonth(db, month);
  const state = stateOf(month, closed, centres, now);
  if (closed !== null) {
    const lines = closed.statement.hours.filter(inScope(scope));
    const days = byDay ? { days: closed.statement.days.filter(inScope(scope)) } : {};
    return { ...state, lines, ...days };
  }
  const context = liveContext(db, month, scope, centres, state, now);
  const lines = await liveHoursLines(context);
  return { ...state, lines, ...(byDay ? { days: await liveHoursDays(context) } : {}) };
}

/** Settlement per centre for a month; each line can list the sessions it pays. */
export async function settlementReport(
  deps: ServiceDeps,
  month: Month,
  scope: ReportScope,
  withSessionIds = false,
): Promise<SettlementReport> {
  const db = deps.store.db;
  const now = deps.clock.now();
  const centres = await loadPresenceCentres(db);
  const closed = await closedMonth(db, month);
  const state = stateOf(month, closed, centres, now);
  let figures: SettlementCentre[];
  if (closed !== null) {
    figures = closed.statement.settlement
      .filter(
        (centre) => scope.centreIds === undefined || scope.centreIds.includes(centre.centreId),
      )
      .map((centre) => {
        const lines = centre.members
          .filter(inScope(scope))
          .map(({ sessionIds, ...line }) => (withSessionIds ? { ...line, sessionIds } : line));
        return {
          ...centre,
          minutes: lines.reduce((sum, line) => sum + line.minutes, 0),
          amountCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
          members: lines,
        };
      })
      .filter((centre) => centre.members.length > 0 || scope.memberId === undefined);
  } else {
    figures = await liveSettlement(
      liveContext(db, month, scope, centres, state, now),
      withSessionIds,
    );
  }
  return {
    ...state,
    currency: "EUR",
    totalCents: figures.reduce((sum, centre) => sum + centre.amountCents, 0),
    lines: figures,
  };
}

/** The whole network's statement as it stands, for closing the month (inside its transaction). */
export async function buildStatement(
  trx: Executor,
  month: Month,
  closedAt: number,
  closedBy: string,
): Promise<Statement> {
  const centres = await loadPresenceCentres(trx);
  const context: FigureContext = { db: trx, month, scope: {}, centres, runningAt: null };
  return {
    month,
    closedAt: new Date(closedAt).toISOString(),
    closedBy,
    hours: await liveHoursLines(context),
    days: await liveHoursDays(context),
    settlement: await liveSettlement(context, true),
  };
}

export { closedMonth };
