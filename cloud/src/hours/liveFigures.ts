import { roundUp } from "@passerelle/protocol";
import type { Executor } from "../store/openStore.js";
import type { Month } from "./months.js";
import { PassCoverage } from "./passCoverage.js";
import type { PresenceCentre } from "./presenceCentres.js";
import { amountCents, settledSession } from "./settlementRule.js";

/** Which part of the network a report covers: some centres (a manager's), one member. */
export interface ReportScope {
  readonly centreIds?: readonly string[];
  readonly memberId?: string;
}

export interface HoursLine {
  readonly centreId: string;
  readonly memberId: string;
  readonly sessionCount: number;
  /** Billable minutes of the month's sessions (rounded per session, corrections applied). */
  readonly sessionMinutes: number;
  /** Minutes carried over from late events of a closed month (flagged adjustments). */
  readonly lateMinutes: number;
  readonly minutes: number;
}

export interface HoursDay {
  readonly centreId: string;
  readonly memberId: string;
  /** The centre's local date of the sessions' starts. */
  readonly date: string;
  readonly sessionCount: number;
  readonly minutes: number;
}

export interface SettlementLine extends HoursLine {
  readonly amountCents: number;
  /** The sessions paid (each id is the access event that opened it); with detail only. */
  readonly sessionIds?: string[];
}

export interface SettlementCentre {
  readonly centreId: string;
  readonly currency: "EUR";
  readonly hourlyRateCents: number;
  readonly minutes: number;
  readonly amountCents: number;
  /** One line per network member who used the centre. */
  readonly members: SettlementLine[];
}

export interface FigureContext {
  readonly db: Executor;
  readonly month: Month;
  readonly scope: ReportScope;
  readonly centres: ReadonlyMap<string, PresenceCentre>;
  /** Sessions running at this instant count up to it (a provisional month); null: none run. */
  readonly runningAt: number | null;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = <T extends { centreId: string; memberId: string; date?: string }>(a: T, b: T) =>
  compare(a.centreId, b.centreId) ||
  compare(a.memberId, b.memberId) ||
  compare(a.date ?? "", b.date ?? "");

function sessionsOf(context: FigureContext) {
  let query = context.db.selectFrom("sessions as s").where("s.month", "=", context.month);
  if (context.scope.centreIds !== undefined) {
    query = query.where("s.centre_id", "in", [...context.scope.centreIds]);
  }
  if (context.scope.memberId !== undefined) {
    query = query.where("s.member_id", "=", context.scope.memberId);
  }
  return query;
}

function lateOf(context: FigureContext) {
  let query = context.db
    .selectFrom("session_adjustments as a")
    .where("a.month", "=", context.month)
    .where("a.kind", "=", "late-event");
  if (context.scope.centreIds !== undefined) {
    query = query.where("a.centre_id", "in", [...context.scope.centreIds]);
  }
  if (context.scope.memberId !== undefined) {
    query = query.where("a.member_id", "=", context.scope.memberId);
  }
  return query;
}

interface Tally {
  centreId: string;
  memberId: string;
  date?: string;
  sessionCount: number;
  sessionMinutes: number;
  lateMinutes: number;
  sessionIds?: string[];
}

const keyOf = (centreId: string, memberId: string, date?: string) =>
  `${centreId}\u0000${memberId}\u0000${date ?? ""}`;

function tallyFor(tallies: Map<string, Tally>, centreId: string, memberId: string, date?: string) {
  const key = keyOf(centreId, memberId, date);
  let tally = tallies.get(key);
  if (tally === undefined) {
    tally = {
      centreId,
      memberId,
      ...(date === undefined ? {} : { date }),
      sessionCount: 0,
      sessionMinutes: 0,
      lateMinutes: 0,
    };
    tallies.set(key, tally);
  }
  return tally;
}

/**
 * Sessions still running at `runningAt` are stored with their projected end (closing time or
 * inactivity deadline): count them up to now instead, rounded like any session.
 */
async function runningCorrections(
  context: FigureContext,
  settledOnly: boolean,
): Promise<{ centreId: string; memberId: string; date: string; delta: number }[]> {
  const now = context.runningAt;
  if (now === null) return [];
  let query = sessionsOf(context)
    .select(["s.centre_id", "s.member_id", "s.local_date", "s.started_at", "s.billable_minutes"])
    .where("s.ended_at", ">", now)
    .where("s.adjustment_id", "is", null);
  if (settledOnly) query = query.where(settledSession());
  const rows = await query.execute();
  return rows.map((row) => {
    const step = context.centres.get(row.centre_id)?.roundingStepMinutes ?? 15;
    const sofar = roundUp(Math.max(0, now - row.started_at), step) / 60_000;
    return {
      centreId: row.centre_id,
      memberId: row.member_id,
      date: row.local_date,
      delta: sofar - row.billable_minutes,
    };
  });
}

function linesOf(tallies: Map<string, Tally>): HoursLine[] {
  return [...tallies.values()]
    .map((t) => ({
      centreId: t.centreId,
      memberId: t.memberId,
      sessionCount: t.sessionCount,
      sessionMinutes: t.sessionMinutes,
      lateMinutes: t.lateMinutes,
      minutes: t.sessionMinutes + t.lateMinutes,
    }))
    .sort(byKey);
}

/** Hours per member per centre for the month, from the sessions table as it is now. */
export async function liveHoursLines(context: FigureContext): Promise<HoursLine[]> {
  const tallies = new Map<string, Tally>();
  const grouped = await sessionsOf(context)
    .select((eb) => [
      "s.centre_id",
      "s.member_id",
      eb.fn.countAll<number>().as("n"),
      eb.fn.sum<number>("s.billable_minutes").as("minutes"),
    ])
    .groupBy(["s.centre_id", "s.member_id"])
    .execute();
  for (const row of grouped) {
    const tally = tallyFor(tallies, row.centre_id, row.member_id);
    tally.sessionCount += Number(row.n);
    tally.sessionMinutes += Number(row.minutes);
  }
  for (const running of await runningCorrections(context, false)) {
    tallyFor(tallies, running.centreId, running.memberId).sessionMinutes += running.delta;
  }
  const late = await lateOf(context)
    .select((eb) => ["a.centre_id", "a.member_id", eb.fn.sum<number>("a.minutes").as("minutes")])
    .groupBy(["a.centre_id", "a.member_id"])
    .execute();
  for (const row of late) {
    tallyFor(tallies, row.centre_id, row.member_id).lateMinutes += Number(row.minutes);
  }
  return linesOf(tallies);
}

/** Hours per member per centre per local day (late carry-overs are monthly, not in days). */
export async function liveHoursDays(context: FigureContext): Promise<HoursDay[]> {
  const tallies = new Map<string, Tally>();
  const grouped = await sessionsOf(context)
    .select((eb) => [
      "s.centre_id",
      "s.member_id",
      "s.local_date",
      eb.fn.countAll<number>().as("n"),
      eb.fn.sum<number>("s.billable_minutes").as("minutes"),
    ])
    .groupBy(["s.centre_id", "s.member_id", "s.local_date"])
    .execute();
  for (const row of grouped) {
    const tally = tallyFor(tallies, row.centre_id, row.member_id, row.local_date);
    tally.sessionCount += Number(row.n);
    tally.sessionMinutes += Number(row.minutes);
  }
  for (const running of await runningCorrections(context, false)) {
    tallyFor(tallies, running.centreId, running.memberId, running.date).sessionMinutes +=
      running.delta;
  }
  return [...tallies.values()]
    .map((t) => ({
      centreId: t.centreId,
      memberId: t.memberId,
      date: t.date as string,
      sessionCount: t.sessionCount,
      minutes: t.sessionMinutes,
    }))
    .sort(byKey);
}

/**
 * Settlement: per centre, the network members' minutes × the centre's hourly rate. With
 * `withSessionIds`, each line lists its sessions (whose ids are their opening access events).
 */
export async function liveSettlement(
  context: FigureContext,
  withSessionIds: boolean,
): Promise<SettlementCentre[]> {
  const tallies = new Map<string, Tally>();
  const coverage = await PassCoverage.load(context.db, context.month, context.scope.memberId);
  const grouped = await sessionsOf(context)
    .select((eb) => [
      "s.centre_id",
      "s.member_id",
      eb.fn.countAll<number>().as("n"),
      eb.fn.sum<number>("s.billable_minutes").as("minutes"),
      eb.fn.min<number>("s.started_at").as("first"),
      eb.fn.max<number>("s.started_at").as("last"),
    ])
    .groupBy(["s.centre_id", "s.member_id"])
    .execute();
  const mixed: { centreId: string; memberId: string }[] = [];
  for (const row of grouped) {
    const covered = coverage.of(row.centre_id, row.member_id, Number(row.first), Number(row.last));
    if (covered === "none") continue;
    if (covered === "mixed") {
      mixed.push({ centreId: row.centre_id, memberId: row.member_id });
      continue;
    }
    const tally = tallyFor(tallies, row.centre_id, row.member_id);
    tally.sessionCount += Number(row.n);
    tally.sessionMinutes += Number(row.minutes);
  }
  // Passes that change within the month: the per-session rule, for those groups only.
  for (const group of mixed) {
    const row = await sessionsOf(context)
      .select((eb) => [
        eb.fn.countAll<number>().as("n"),
        eb.fn.sum<number>("s.billable_minutes").as("minutes"),
      ])
      .where("s.centre_id", "=", group.centreId)
      .where("s.member_id", "=", group.memberId)
      .where(settledSession())
      .executeTakeFirst();
    if (row === undefined || Number(row.n) === 0) continue;
    const tally = tallyFor(tallies, group.centreId, group.memberId);
    tally.sessionCount += Number(row.n);
    tally.sessionMinutes += Number(row.minutes);
  }
  for (const running of await runningCorrections(context, true)) {
    tallyFor(tallies, running.centreId, running.memberId).sessionMinutes += running.delta;
  }
  const late = await lateOf(context)
    .select((eb) => [
      "a.centre_id",
      "a.member_id",
      eb.fn.sum<number>("a.settled_minutes").as("minutes"),
    ])
    .where("a.settled_minutes", "!=", 0)
    .groupBy(["a.centre_id", "a.member_id"])
    .execute();
  for (const row of late) {
    tallyFor(tallies, row.centre_id, row.member_id).lateMinutes += Number(row.minutes);
  }
  if (withSessionIds) {
    const ids = await sessionsOf(context)
      .select(["s.centre_id", "s.member_id", "s.id"])
      .where(settledSession())
      .execute();
    for (const row of ids) {
      const tally = tallyFor(tallies, row.centre_id, row.member_id);
      tally.sessionIds ??= [];
      tally.sessionIds.push(row.id);
    }
  }
  return settlementOf(tallies, context.centres, withSessionIds);
}

function settlementOf(
  tallies: Map<string, Tally>,
  centres: ReadonlyMap<string, PresenceCentre>,
  withSessionIds: boolean,
): SettlementCentre[] {
  const byCentre = new Map<string, SettlementLine[]>();
  for (const line of linesOf(tallies)) {
    const rate = centres.get(line.centreId)?.hourlyRateCents ?? 0;
    const tally = tallies.get(keyOf(line.centreId, line.memberId)) as Tally;
    const lines = byCentre.get(line.centreId) ?? [];
    lines.push({
      ...line,
      amountCents: amountCents(line.minutes, rate),
      ...(withSessionIds ? { sessionIds: [...(tally.sessionIds ?? [])].sort(compare) } : {}),
    });
    byCentre.set(line.centreId, lines);
  }
  return [...byCentre]
    .sort(([a], [b]) => compare(a, b))
    .map(([centreId, lines]) => ({
      centreId,
      currency: "EUR" as const,
      hourlyRateCents: centres.get(centreId)?.hourlyRateCents ?? 0,
      minutes: lines.reduce((sum, line) => sum + line.minutes, 0),
      amountCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
      members: lines,
    }));
}
