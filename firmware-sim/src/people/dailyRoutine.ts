import type { SeededRandom } from "../scenario/seededRandom.js";
import type { SimPerson } from "./simPerson.js";

/** One move at a centre's entrance, at a local minute of the simulated day. */
export interface RoutineStep {
  readonly minute: number;
  readonly centre: string;
  readonly move: "enter" | "leave";
}

/** A quick stop on a day off (printing, the post, a short meeting): early, and brief. */
export const dropIn = {
  chance: 0.3,
  /** Arrival, local minutes: before the working day gets going. */
  arrival: [6 * 60 + 45, 8 * 60 + 30],
  stay: [10, 25],
} as const;

/**
 * A person's day: whether they come at all (their work days, plus the odd extra day, or a quick
 * stop on a day off), where (home, or another centre for a network member), when they arrive,
 * whether they go out for lunch, and when they leave. Pure: the same generator state gives the
 * same day.
 */
export function dailyRoutine(
  person: SimPerson,
  weekday: number,
  centres: readonly string[],
  random: SeededRandom,
): RoutineStep[] {
  const usual = person.habits.workDays.includes(weekday);
  if (!(usual ? random.chance(0.9) : random.chance(0.05))) {
    if (!random.chance(dropIn.chance)) return [];
    const arrive = random.int(dropIn.arrival[0], dropIn.arrival[1]);
    const leave = arrive + random.int(dropIn.stay[0], dropIn.stay[1]);
    return [
      { minute: arrive, centre: person.homeCentre, move: "enter" },
      { minute: leave, centre: person.homeCentre, move: "leave" },
    ];
  }
  const roams =
    person.pass === "network" && centres.length > 1 && random.chance(person.habits.roamChance);
  const centre = roams ? random.pick(centres) : person.homeCentre;
  const arrive = Math.round(random.around(person.habits.arrivalMinute, 20));
  const leave = Math.min(
    23 * 60,
    Math.round(arrive + random.around(person.habits.stayMinutes, 45)),
  );
  const steps: RoutineStep[] = [{ minute: arrive, centre, move: "enter" }];
  const lunch = Math.round(random.around(12 * 60 + 15, 20));
  if (lunch > arrive + 30 && lunch + 75 < leave && random.chance(person.habits.lunchOutChance)) {
    const back = lunch + random.int(30, 60);
    steps.push({ minute: lunch, centre, move: "leave" }, { minute: back, centre, move: "enter" });
  }
  steps.push({ minute: Math.max(leave, arrive + 15), centre, move: "leave" });
  return steps;
}
