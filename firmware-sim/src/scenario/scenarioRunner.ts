import { type DoorHabits, defaultDoorHabits, planPassage } from "../doors/doorHabits.js";
import {
  DoorQueue,
  enterWithBadge,
  leaveThrough,
  type PassageOutcome,
} from "../doors/doorPassage.js";
import type { SimulatedEntrance } from "../doors/simulatedEntrance.js";
import { dailyRoutine, type RoutineStep } from "../people/dailyRoutine.js";
import { type SimPerson, uidBytes } from "../people/simPerson.js";
import { localDay } from "./localDay.js";
import type { ScenarioClock } from "./scenarioClock.js";
import { SeededRandom } from "./seededRandom.js";

export interface ScenarioOptions {
  readonly people: readonly SimPerson[];
  readonly entrances: ReadonlyMap<string, SimulatedEntrance>;
  readonly clock: ScenarioClock;
  readonly seed: string | number;
  /** The zone of the simulated day (routines are in local minutes). */
  readonly timeZone: string;
  readonly habits?: DoorHabits;
  /** Every passage, for the launcher's summary and the tests. */
  readonly onPassage?: (record: PassageRecord) => void;
  /**
   * Told each simulated day's plan (the moves still to come) before it is played; returns the
   * people who stay away that day after all (a booking not honoured), whose moves are dropped.
   */
  readonly onDayPlanned?: (steps: readonly PlannedStep[]) => ReadonlySet<string> | undefined;
}

export interface PassageRecord {
  readonly person: string;
  readonly centre: string;
  readonly move: RoutineStep["move"];
  readonly outcome: PassageOutcome;
  readonly at: number;
}

export interface PlannedStep extends RoutineStep {
  readonly person: SimPerson;
  /** Simulated instant. */
  readonly at: number;
}

/**
 * Plays the people's days: each simulated day, every person's routine (drawn from the seed, the
 * person and the day's date, so the same seed gives the same day) becomes timed moves at the
 * entrances; each move queues at its door and runs in real time. A person's moves run one
 * after the other: someone refused at the door goes home (their later moves that day are
 * dropped), and only someone inside leaves, the way the centre's door lets people out.
 * At the start, the people the plan has inside already (they came before the simulated
 * start) come in first, so the board starts from a plausible morning.
 */
export class ScenarioRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queues = new Map<string, DoorQueue>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly counts = new Map<string, number>();
  /** Each person's latest move, so the next one waits for it. */
  private readonly personTail = new Map<string, Promise<unknown>>();
  /** Where each person is inside now. */
  private readonly inside = new Map<string, string>();
  /** People sent home for the day (refused at the door): `<person>@<date>`. */
  private readonly sentHome = new Set<string>();
  private stopped = false;

  constructor(private readonly options: ScenarioOptions) {}

  /** The whole plan of the simulated day holding `at`, in time order. */
  planDay(at: number): PlannedStep[] {
    const day = localDay(at, this.options.timeZone);
    const centres = [...this.options.entrances.keys()];
    const root = new SeededRandom(`day:${this.options.seed}:${day.date}`);
    const steps: PlannedStep[] = [];
    for (const person of this.options.people) {
      if (!this.options.entrances.has(person.homeCentre)) continue;
      const random = root.fork(person.key);
      for (const step of dailyRoutine(person, day.weekday, centres, random)) {
        steps.push({ ...step, person, at: day.midnight + step.minute * 60_000 });
      }
    }
    return steps.sort((a, b) => a.at - b.at || a.person.key.localeCompare(b.person.key));
  }

  start(): void {
    this.scheduleDay(this.options.clock.now(), true);
  }

  /** The centre each person is inside now, by person key. */
  whoIsInside(): ReadonlyMap<string, string> {
    return this.inside;
  }

  /** Counts of outcomes so far: `enter:passed`, `leave:forced`... */
  stats(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /**
   * Nobody new comes to a door; people already walking through finish (a held door may take
   * its time), up to `graceMs`, so a stop leaves the doors closed when it can.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.allSettled(this.inFlight), grace]);
    clearTimeout(timer);
  }

  private scheduleDay(at: number, first = false): void {
    const clock = this.options.clock;
    const now = clock.now();
    const plan = this.planDay(at);
    const date = localDay(at, this.options.timeZone).date;
    const coming = plan.filter((step) => step.at >= now);
    const away = this.options.onDayPlanned?.(coming) ?? new Set<string>();
    if (first) {
      // Inside at the simulated start by the plan: they come in now, one after the other.
      for (const step of insideAt(plan, now)) {
        if (!away.has(step.person.key)) this.play(step, date);
      }
    }
    for (const step of coming) {
      if (away.has(step.person.key)) continue;
      this.after(clock.realDelayUntil(step.at), () => this.play(step, date));
    }
    const nextMidnight = localDay(at, this.options.timeZone).midnight + 25 * 3_600_000;
    const next = localDay(nextMidnight, this.options.timeZone).midnight;
    this.after(clock.realDelayUntil(next), () => this.scheduleDay(next));
  }

  private after(delayMs: number, action: () => void): void {
    // setTimeout caps at 2^31-1 ms; a slow scenario re-arms instead of firing early.
    const capped = Math.min(delayMs, 2_000_000_000);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      if (capped < delayMs) this.after(delayMs - capped, action);
      else action();
    }, capped);
    this.timers.add(timer);
  }

  private play(step: PlannedStep, date: string): void {
    const key = step.person.key;
    const previous = this.personTail.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.move(step, date));
    this.personTail.set(key, next);
    void next.finally(() => {
      if (this.personTail.get(key) === next) this.personTail.delete(key);
    });
  }

  private move(step: PlannedStep, date: string): Promise<void> {
    const entrance = this.options.entrances.get(step.centre);
    if (entrance === undefined || this.stopped) return Promise.resolve();
    const key = step.person.key;
    if (this.sentHome.has(`${key}@${date}`)) return Promise.resolve();
    if (step.move === "leave" && this.inside.get(key) !== step.centre) return Promise.resolve();
    let queue = this.queues.get(step.centre);
    if (queue === undefined) {
      queue = new DoorQueue();
      this.queues.set(step.centre, queue);
    }
    const habits = this.options.habits ?? defaultDoorHabits;
    const random = new SeededRandom(`passage:${this.options.seed}:${step.person.key}:${step.at}`);
    const plan = planPassage(habits, random);
    const passage = queue.run(async (): Promise<PassageOutcome | "cancelled"> => {
      if (this.stopped) return "cancelled";
      if (step.move === "leave") {
        return leaveThrough(entrance, uidBytes(step.person), plan, { habits });
      }
      const outcome = await enterWithBadge(entrance, uidBytes(step.person), plan, { habits });
      if (outcome === "passed" && habits.settleAfterEntryMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, habits.settleAfterEntryMs));
      }
      return outcome;
    });
    const tracked = passage.then((outcome) => {
      if (outcome === "cancelled") return;
      if (step.move === "leave") this.inside.delete(key);
      else if (outcome === "passed" || outcome === "forced") this.inside.set(key, step.centre);
      else this.sentHome.add(`${key}@${date}`);
      const countKey = `${step.move}:${outcome}`;
      this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + 1);
      this.options.onPassage?.({
        person: step.person.key,
        centre: step.centre,
        move: step.move,
        outcome,
        at: Date.now(),
      });
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }
}

/** The entries of the people a day's plan has inside at `at` (their latest move before it). */
export function insideAt(plan: readonly PlannedStep[], at: number): PlannedStep[] {
  const latest = new Map<string, PlannedStep>();
  for (const step of plan) if (step.at < at) latest.set(step.person.key, step);
  return [...latest.values()].filter((step) => step.move === "enter");
}
