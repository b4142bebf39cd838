import { addDays, instantOfLocal, intervalsByWeekday, weekdayOf } from "@passerelle/protocol";
import { invalid } from "../domain/domainError.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { localDateOf } from "./months.js";
import { loadPresenceCentres, type PresenceCentre } from "./presenceCentres.js";

/** The longest period one request may cover: a year and a day (a leap year's report). */
const maxPeriodMs = 367 * 86_400_000;

export interface CentreFigures {
  readonly centreId: string;
  /** Days of the period the centre was open (opening hours, not a closed date). */
  readonly openDays: number;
  /**
   * Distinct members whose session started that local day, summed over the open days and
   * divided by them: days the centre was closed are out of both (docs/hours.md).
   */
  readonly averageDailyUsers: number;
  /** The busiest open day. */
  readonly peakDailyUsers: number;
  readonly peakDay: string | null;
  /** User-days on days the centre was closed (a closed date, or no opening hours that day). */
  readonly closedDayUsers: number;
  /** Seat-minutes occupied within opening hours / capacity × opening minutes, 0 … 1. */
  readonly occupancyRate: number;
  readonly occupiedSeatMinutes: number;
  readonly capacitySeatMinutes: number;
  /** Most members inside at once, and when that first happened. */
  readonly peakOccupancy: number;
  readonly peakAt: string | null;
}

/** The centre's opening intervals (instants) that fall within [from, to). */
export function openingIntervals(
  centre: PresenceCentre,
  from: number,
  to: number,
): [number, number][] {
  const week = intervalsByWeekday(centre.openingHours);
  const closed = new Set(centre.closedDates);
  const intervals: [number, number][] = [];
  let date = addDays(localDateOf(from, centre.timeZone), -1);
  const last = localDateOf(to, centre.timeZone);
  while (date <= last) {
    if (!closed.has(date)) {
      for (const [open, close] of week[weekdayOf(date)] ?? []) {
        const start = Math.max(from, instantOfLocal(date, open, centre.timeZone));
        const end = Math.min(to, instantOfLocal(date, close, centre.timeZone));
        if (end > start) intervals.push([start, end]);
      }
    }
    date = addDays(date, 1);
  }
  return intervals;
}

function overlapWith(intervals: readonly [number, number][], start: number, end: number): number {
  let total = 0;
  for (const [open, close] of intervals) {
    const overlap = Math.min(end, close) - Math.max(start, open);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/**
 * Network figures per centre over [from, to) (docs/architecture.md "Who sees what", the coordinator's question: how many users a day,
 * what occupancy rate), from presence sessions; a session still running counts up to now.
 */
export async function networkFigures(
  deps: ServiceDeps,
  from: number,
  to: number,
  centreIds?: readonly string[],
): Promise<CentreFigures[]> {
  if (!(to > from)) throw invalid("to", "to must be after from");
  if (to - from > maxPeriodMs) throw invalid("to", "a period covers at most 367 days");
  const now = deps.clock.now();
  const centres = [...(await loadPresenceCentres(deps.store.db)).values()]
    .filter((centre) => centreIds === undefined || centreIds.includes(centre.id))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const figures: CentreFigures[] = [];
  for (const centre of centres) {
    // Every session overlapping the period, however long before it began (a 24/7 centre chains
    // re-entries into sessions of days): read by the (centre_id, ended_at) index.
    const sessions = await deps.store.db
      .selectFrom("sessions")
      .select(["member_id", "started_at", "ended_at", "local_date"])
      .where("centre_id", "=", centre.id)
      .where("ended_at", ">", from)
      .where("started_at", "<", to)
      .execute();
    const opening = openingIntervals(centre, from, to);
    const openDays = new Set(opening.map(([start]) => localDateOf(start, centre.timeZone)));
    const usersByDay = new Map<string, Set<string>>();
    const edges: [number, number][] = [];
    let occupied = 0;
    for (const session of sessions) {
      const end = Math.min(session.ended_at, now);
      if (end <= session.started_at) continue;
      occupied += overlapWith(opening, session.started_at, end);
      if (session.started_at >= from) {
        const users = usersByDay.get(session.local_date) ?? new Set<string>();
        users.add(session.member_id);
        usersByDay.set(session.local_date, users);
      }
      edges.push([Math.max(session.started_at, from), 1], [Math.min(end, to), -1]);
    }
    // Ends before starts at the same instant: a hand-over is not two people at once.
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inside = 0;
    let peakOccupancy = 0;
    let peakAt: number | null = null;
    for (const [at, step] of edges) {
      inside += step;
      if (inside > peakOccupancy) {
        peakOccupancy = inside;
        peakAt = at;
      }
    }
    let peakDailyUsers = 0;
    let peakDay: string | null = null;
    let userDays = 0;
    let closedDayUsers = 0;
    for (const [day, users] of [...usersByDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!openDays.has(day)) {
        closedDayUsers += users.size;
        continue;
      }
      userDays += users.size;
      if (users.size > peakDailyUsers) {
        peakDailyUsers = users.size;
        peakDay = day;
      }
    }
    const openMinutes = opening.reduce((sum, [start, end]) => sum + (end - start), 0) / 60_000;
    const capacitySeatMinutes = Math.round(openMinutes * centre.capacity);
    const occupiedSeatMinutes = Math.round(occupied / 60_000);
    figures.push({
      centreId: centre.id,
      openDays: openDays.size,
      averageDailyUsers: openDays.size === 0 ? 0 : round2(userDays / openDays.size),
      peakDailyUsers,
      peakDay,
      closedDayUsers,
      occupancyRate:
        capacitySeatMinutes === 0 ? 0 : round4(occupiedSeatMinutes / capacitySeatMinutes),
      occupiedSeatMinutes,
      capacitySeatMinutes,
      peakOccupancy,
      peakAt: peakAt === null ? null : new Date(peakAt).toISOString(),
    });
  }
  return figures;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
