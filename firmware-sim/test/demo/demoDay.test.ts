import { describe, expect, it } from "vitest";
import { demoCentres } from "../../src/demo/demoNetwork.js";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { addEntrance } from "../../src/doors/simulatedEntrance.js";
import { generatePopulation } from "../../src/people/population.js";
import { ScenarioClock } from "../../src/scenario/scenarioClock.js";
import { insideAt, ScenarioRunner } from "../../src/scenario/scenarioRunner.js";

const tuesday = Date.parse("2026-03-03T06:30:00Z"); // 07:30 in Brussels

describe("a day of the demo network", () => {
  const demo = demoCentres.map((c) => ({ id: c.id, capacity: c.capacity }));
  const people = generatePopulation(demo, 120, "passerelle");
  const hub = new DeviceHub();
  const entrances = new Map(demo.map((c) => [c.id, addEntrance(hub, c.id)]));

  it("has someone leave within 30 simulated minutes of 07:30, every day of two weeks", () => {
    for (let day = 0; day < 14; day += 1) {
      const start = tuesday + day * 86_400_000;
      const plan = new ScenarioRunner({
        people,
        entrances,
        clock: new ScenarioClock(start, 30, () => 0),
        seed: "passerelle",
        timeZone: "Europe/Brussels",
      }).planDay(start);
      const inside = insideAt(plan, start).map((s) => s.person.key);
      const leaving = plan.filter(
        (s) => s.move === "leave" && s.at >= start && s.at < start + 30 * 60_000,
      );
      const arriving = plan.filter(
        (s) => s.move === "enter" && s.at >= start && s.at < start + 30 * 60_000,
      );
      expect(leaving.length, `day ${day}`).toBeGreaterThan(0);
      expect(inside.length + arriving.length, `day ${day}`).toBeGreaterThan(leaving.length);
    }
  });
});
