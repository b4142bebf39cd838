import type { SeededRandom } from "../scenario/seededRandom.js";
import type { SimPerson } from "./simPerson.js";

/** One move at a centre's entrance, at a local minute of the simulated day. */
export interface RoutineStep {
  readonly minute: number;
  readonly centre: string;
  readonly move: "enter" | "leave";
}

/**
 * A person's day: whether they come at all (their work days, plus the odd extra day), where
 * (home, or another centre for a network member), when they arrive, whether they go out for
 * lunch, and when they leave. Pure: the same generator state gives the same day.
 */
export function dailyRoutine(
  person: SimPerson,
  weekday: number,
  centres: readonly string[],
  random: SeededRandom,
): RoutineStep[] {
  const usual = person.habits.workDays.includes(weekday);
  if (!(usual ? random.chance(0.9) : random.chance(0.05))) return [];
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
