import type { Executor } from "../store/openStore.js";
import type { Month } from "./months.js";
import { PassCoverage } from "./passCoverage.js";
import type { PresenceCentre } from "./presenceCentres.js";
import { type RoundingRule, sessionMinutes, totalMinutes } from "./rounding.js";
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
  /** sessionMinutes at the centre's rate, plus the late carry-overs' cents (at their month's rate). */
  readonly amountCents: number;
  /** The sessions paid (each id is the access event that opened it); with detail only. */
  readonly sessionIds?: string[];
}

export interface SettlementCentre {
  readonly centreId: string;
  readonly currency: "EUR";
  readonly hourlyRateCents: number;
  /** How the minutes were rounded (the centre's rule when the report was made). */
  readonly rounding?: RoundingRule;
  /** Which sessions are paid: a network pass valid there at the session's start, none of its own. */
  readonly passRule?: typeof passRule;
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

export const passRule = "network-pass-at-session-start" as const;

const defaultRounding: RoundingRule = { mode: "session-up", stepMinutes: 15 };

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

/** The month's per centre and member sums (session_totals), in scope. */
function totalsOf(context: FigureContext) {
  let query = context.db.selectFrom("session_totals as t").where("t.month", "=", context.month);
  if (context.scope.centreIds !== undefined) {
    query = query.where("t.centre_id", "in", [...context.scope.centreIds]);
  }
  if (context.scope.memberId !== undefined) {
    query = query.where("t.member_id", "=", context.scope.memberId);
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
  /** Late carry-overs' settled cents (settlement only). */
  lateCents?: number;
  sessionIds?: string[];
}

const keyOf = (centreId: string, memberId: string, date?: string) =>
  `${centreId}\u0000${memberId}\u0000${date ?? ""}`;

/**
 * The report's running sums. Rows of `session_totals` are unique per centre and member, so they
 * go straight into the list; the key index is only built when something adds to a line
 * (running sessions, late carry-overs), which keeps a 200 000-line month cheap.
 */
class TallyBook {
  private readonly list: Tally[] = [];
  private index: Map<string, Tally> | undefined;

  addUnique(centreId: string, memberId: string, sessionCount: number, sessionMinutes: number) {
    const tally: Tally = { centreId, memberId, sessionCount, sessionMinutes, lateMinutes: 0 };
    this.list.push(tally);
    this.index?.set(keyOf(centreId, memberId), tally);
  }

  get(centreId: string, memberId: string, date?: string): Tally {
    if (this.index === undefined) {
      this.index = new Map(this.list.map((t) => [keyOf(t.centreId, t.memberId, t.date), t]));
    }
    const key = keyOf(centreId, memberId, date);
    let tally = this.index.get(key);
    if (tally === undefined) {
      tally = {
        centreId,
        memberId,
        ...(date === undefined ? {} : { date }),
        sessionCount: 0,
        sessionMinutes: 0,
        lateMinutes: 0,
      };
      this.index.set(key, tally);
      this.list.push(tally);
    }
    return tally;
  }

  sorted(): Tally[] {
    return this.list.sort(byKey);
  }
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
    const rounding = context.centres.get(row.centre_id)?.rounding ?? defaultRounding;
    const sofar = sessionMinutes(Math.max(0, now - row.started_at), rounding);
    return {
      centreId: row.centre_id,
      memberId: row.member_id,
      date: row.local_date,
      delta: sofar - row.billable_minutes,
    };
  });
}

function linesOf(tallies: TallyBook): HoursLine[] {
  return tallies.sorted().map((t) => ({
    centreId: t.centreId,
    memberId: t.memberId,
    sessionCount: t.sessionCount,
    sessionMinutes: t.sessionMinutes,
    lateMinutes: t.lateMinutes,
    minutes: t.sessionMinutes + t.lateMinutes,
  }));
}

/** Hours per member per centre for the month, from the sessions table as it is now. */
export async function liveHoursLines(context: FigureContext): Promise<HoursLine[]> {
  const tallies = new TallyBook();
  const totals = await totalsOf(context)
    .select(["t.centre_id", "t.member_id", "t.session_count", "t.billable_minutes"])
    .execute();
  for (const row of totals) {
    tallies.addUnique(
      row.centre_id,
      row.member_id,
      Number(row.session_count),
      Number(row.billable_minutes),
    );
  }
  for (const running of await runningCorrections(context, false)) {
    tallies.get(running.centreId, running.memberId).sessionMinutes += running.delta;
  }
  const late = await lateOf(context)
    .select((eb) => ["a.centre_id", "a.member_id", eb.fn.sum<number>("a.minutes").as("minutes")])
    .groupBy(["a.centre_id", "a.member_id"])
    .execute();
  for (const row of late) {
    tallies.get(row.centre_id, row.member_id).lateMinutes += Number(row.minutes);
  }
  return linesOf(tallies);
}

/** Hours per member per centre per local day (late carry-overs are monthly, not in days). */
export async function liveHoursDays(context: FigureContext): Promise<HoursDay[]> {
  const tallies = new TallyBook();
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
    const tally = tallies.get(row.centre_id, row.member_id, row.local_date);
    tally.sessionCount += Number(row.n);
    tally.sessionMinutes += Number(row.minutes);
  }
  for (const running of await runningCorrections(context, false)) {
    tallies.get(running.centreId, running.memberId, running.date).sessionMinutes += running.delta;
  }
  return tallies.sorted().map((t) => ({
    centreId: t.centreId,
    memberId: t.memberId,
    date: t.date as string,
    sessionCount: t.sessionCount,
    minutes: t.sessionMinutes,
  }));
}

/**
 * Settlement: per centre, the network members' minutes × the centre's hourly rate. With
 * `withSessionIds`, each line lists its sessions (whose ids are their opening access events).
 */
export async function liveSettlement(
  context: FigureContext,
  withSessionIds: boolean,
): Promise<SettlementCentre[]> {
  const tallies = new TallyBook();
  const coverage = await PassCoverage.load(context.db, context.month, context.scope.memberId);
  const grouped = await totalsOf(context)
    .select([
      "t.centre_id",
      "t.member_id",
      "t.session_count as n",
      "t.billable_minutes as minutes",
      "t.first_start as first",
      "t.last_start as last",
    ])
    .execute();
  const mixed: { centreId: string; memberId: string }[] = [];
  for (const row of grouped) {
    const covered = coverage.of(row.centre_id, row.member_id, Number(row.first), Number(row.last));
    if (covered === "none") continue;
    if (covered === "mixed") {
      mixed.push({ centreId: row.centre_id, memberId: row.member_id });
      continue;
    }
    tallies.addUnique(row.centre_id, row.member_id, Number(row.n), Number(row.minutes));
  }
  // Passes that change within the month: the per-session rule, for those groups only.
  for (const group of mixed) {
    const row = await sessionsOf(context)
      .select((eb) => [
        eb.fn.countAll<number>().as("n"),
        eb.fn.sum<number>("s.billable_minutes").as("minutes"),
        eb.fn.sum<number>("s.effective_ms").as("ms"),
      ])
      .where("s.centre_id", "=", group.centreId)
      .where("s.member_id", "=", group.memberId)
      .where(settledSession())
      .executeTakeFirst();
    if (row === undefined || Number(row.n) === 0) continue;
    const tally = tallies.get(group.centreId, group.memberId);
    const rounding = context.centres.get(group.centreId)?.rounding ?? defaultRounding;
    tally.sessionCount += Number(row.n);
    tally.sessionMinutes += totalMinutes(rounding, Number(row.minutes), Number(row.ms));
  }
  for (const running of await runningCorrections(context, true)) {
    tallies.get(running.centreId, running.memberId).sessionMinutes += running.delta;
  }
  const late = await lateOf(context)
    .select((eb) => [
      "a.centre_id",
      "a.member_id",
      eb.fn.sum<number>("a.settled_minutes").as("minutes"),
      eb.fn.sum<number>("a.settled_cents").as("cents"),
    ])
    .where((eb) => eb.or([eb("a.settled_minutes", "!=", 0), eb("a.settled_cents", "!=", 0)]))
    .groupBy(["a.centre_id", "a.member_id"])
    .execute();
  for (const row of late) {
    const tally = tallies.get(row.centre_id, row.member_id);
    tally.lateMinutes += Number(row.minutes);
    tally.lateCents = (tally.lateCents ?? 0) + Number(row.cents);
  }
  if (withSessionIds) {
    const ids = await sessionsOf(context)
      .select(["s.centre_id", "s.member_id", "s.id"])
      .where(settledSession())
      .execute();
    for (const row of ids) {
      const tally = tallies.get(row.centre_id, row.member_id);
      tally.sessionIds ??= [];
      tally.sessionIds.push(row.id);
    }
  }
  return settlementOf(tallies, context.centres, withSessionIds);
}

function settlementOf(
  tallies: TallyBook,
  centres: ReadonlyMap<string, PresenceCentre>,
  withSessionIds: boolean,
): SettlementCentre[] {
  const figures: SettlementCentre[] = [];
  let current: { -readonly [K in keyof SettlementCentre]: SettlementCentre[K] } | undefined;
  for (const t of tallies.sorted()) {
    if (current?.centreId !== t.centreId) {
      const centre = centres.get(t.centreId);
      current = {
        centreId: t.centreId,
        currency: "EUR",
        hourlyRateCents: centre?.hourlyRateCents ?? 0,
        rounding: { ...(centre?.rounding ?? defaultRounding) },
        passRule,
        minutes: 0,
        amountCents: 0,
        members: [],
      };
      figures.push(current);
    }
    const minutes = t.sessionMinutes + t.lateMinutes;
    // Late carry-overs are worth what their closed month's rate made them (lateCarry.ts).
    const amount = amountCents(t.sessionMinutes, current.hourlyRateCents) + (t.lateCents ?? 0);
    current.minutes += minutes;
    current.amountCents += amount;
    current.members.push({
      centreId: t.centreId,
      memberId: t.memberId,
      sessionCount: t.sessionCount,
      sessionMinutes: t.sessionMinutes,
      lateMinutes: t.lateMinutes,
      minutes,
      amountCents: amount,
      ...(withSessionIds ? { sessionIds: [...(t.sessionIds ?? [])].sort(compare) } : {}),
    });
  }
  return figures;
}
