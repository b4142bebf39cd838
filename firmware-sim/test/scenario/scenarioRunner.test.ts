import { describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { addEntrance, type SimulatedEntrance } from "../../src/doors/simulatedEntrance.js";
import { generatePopulation } from "../../src/people/population.js";
import { localDay } from "../../src/scenario/localDay.js";
import { ScenarioClock } from "../../src/scenario/scenarioClock.js";
import { ScenarioRunner } from "../../src/scenario/scenarioRunner.js";

const centres = [
  { id: "redu", capacity: 14 },
  { id: "arlon", capacity: 24 },
];
const tuesday = Date.parse("2026-03-03T06:30:00Z"); // 07:30 in Brussels

function runner(seed: string) {
  const hub = new DeviceHub();
  const entrances = new Map<string, SimulatedEntrance>(
    centres.map((c) => [c.id, addEntrance(hub, c.id)]),
  );
  return new ScenarioRunner({
    people: generatePopulation(centres, 80, seed),
    entrances,
    clock: new ScenarioClock(tuesday, 60, () => 0),
    seed,
    timeZone: "Europe/Brussels",
  });
}

describe("ScenarioRunner.planDay", () => {
  it("plans the same day for the same seed and another day for another seed", () => {
    const plan = runner("a").planDay(tuesday);
    const again = runner("a").planDay(tuesday);
    const other = runner("b").planDay(tuesday);
    const brief = (steps: typeof plan) =>
      steps.map((s) => `${s.person.key}@${s.centre}:${s.move}:${s.at}`);
    expect(brief(again)).toEqual(brief(plan));
    expect(brief(other)).not.toEqual(brief(plan));
    expect(plan.length).toBeGreaterThan(40);
  });

  it("keeps every move inside that local day, in time order, at a known entrance", () => {
    const plan = runner("a").planDay(tuesday);
    const day = localDay(tuesday, "Europe/Brussels");
    for (const [index, step] of plan.entries()) {
      expect(localDay(step.at, "Europe/Brussels").date).toBe(day.date);
      expect(["redu", "arlon"]).toContain(step.centre);
      if (index > 0) expect(step.at).toBeGreaterThanOrEqual(plan[index - 1]?.at ?? 0);
    }
  });

  it("plans a different day on the next date", () => {
    const today = runner("a").planDay(tuesday);
    const tomorrow = runner("a").planDay(tuesday + 86_400_000);
    expect(tomorrow.map((s) => s.minute)).not.toEqual(today.map((s) => s.minute));
  });
});

describe("ScenarioClock", () => {
  it("runs simulated time `speed` times faster than the wall clock", () => {
    let real = 1000;
    const clock = new ScenarioClock(tuesday, 60, () => real);
    real += 60_000;
    expect(clock.now()).toBe(tuesday + 3_600_000);
    expect(clock.realDelayUntil(tuesday + 2 * 3_600_000)).toBe(60_000);
    expect(clock.realDelayUntil(tuesday)).toBe(0);
    expect(() => new ScenarioClock(0, 0)).toThrow(/speed/);
  });
});
