import type { PlannedStep } from "./scenarioRunner.js";
import { SeededRandom } from "./seededRandom.js";

/** A desk booked for one person's visit of the day, in wall-clock time. */
export interface PlannedBooking {
  readonly person: string;
  readonly centre: string;
  readonly resourceId: string;
  /** Wall-clock instants (bookings are real slots, checked by the cloud's real clock). */
  readonly start: number;
  readonly end: number;
  /** False: a no-show; the person stays away that day, the booking is never checked in. */
  readonly honoured: boolean;
}

export interface DayBookingOptions {
  readonly seed: string;
  readonly date: string;
  /** The bookable desks of a centre. */
  readonly desks: (centre: string) => readonly string[];
  /** The wall-clock instant a simulated instant is played at. */
  readonly realTime: (simulatedAt: number) => number;
  /** Wall clock now: no booking starts before it (the cloud refuses a start in the past). */
  readonly now: number;
  /** Share of the day's visitors who booked a desk; share of those who do not come. */
  readonly bookingChance?: number;
  readonly noShowChance?: number;
}

const FIVE_MINUTES = 5 * 60_000;
const QUARTER = 15 * 60_000;

/**
 * Who booked a desk for today's visit, and who will not honour it: drawn from the seed, the date
 * and the person. A booking covers the visit as it is played on the wall clock (from the arrival,
 * rounded down to 5 minutes, to the departure rounded up to the quarter), so the badge-in checks
 * it in; a no-show's booking is made the same way, and the person stays away.
 */
export function planDayBookings(
  steps: readonly PlannedStep[],
  options: DayBookingOptions,
): PlannedBooking[] {
  const visits = new Map<string, { enter: PlannedStep; leave?: PlannedStep }>();
  for (const step of steps) {
    const visit = visits.get(step.person.key);
    if (visit === undefined) {
      if (step.move === "enter") visits.set(step.person.key, { enter: step });
    } else if (step.move === "leave" && step.centre === visit.enter.centre) {
      visit.leave = step;
    }
  }
  const bookings: PlannedBooking[] = [];
  for (const [person, { enter, leave }] of visits) {
    const random = new SeededRandom(`booking:${options.seed}:${options.date}:${person}`);
    if (!random.chance(options.bookingChance ?? 0.15)) continue;
    const desks = options.desks(enter.centre);
    if (desks.length === 0) continue;
    const arrival = options.realTime(enter.at);
    const start = Math.max(
      Math.floor(arrival / FIVE_MINUTES) * FIVE_MINUTES,
      Math.ceil(options.now / 60_000) * 60_000,
    );
    const departure = options.realTime(leave?.at ?? enter.at);
    const end = Math.max(Math.ceil(departure / QUARTER) * QUARTER, start + 2 * QUARTER);
    bookings.push({
      person,
      centre: enter.centre,
      resourceId: random.pick(desks),
      start,
      end,
      honoured: !random.chance(options.noShowChance ?? 0.2),
    });
  }
  return bookings;
}
