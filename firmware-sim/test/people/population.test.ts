import { describe, expect, it } from "vitest";
import { dailyRoutine } from "../../src/people/dailyRoutine.js";
import { generatePopulation } from "../../src/people/population.js";
import { SeededRandom } from "../../src/scenario/seededRandom.js";

const centres = [
  { id: "redu", capacity: 14 },
  { id: "arlon", capacity: 24 },
  { id: "coffee-lille", capacity: 70 },
];

describe("generatePopulation", () => {
  it("makes the same people from the same seed, with unique cards and known home centres", () => {
    const people = generatePopulation(centres, 200, "seed-1");
    expect(people).toEqual(generatePopulation(centres, 200, "seed-1"));
    expect(people).toHaveLength(200);
    expect(new Set(people.map((p) => p.uid)).size).toBe(200);
    expect(new Set(people.map((p) => p.email)).size).toBe(200);
    for (const person of people) {
      expect(person.uid).toMatch(/^04[0-9A-F]{12}$/);
      expect(centres.map((c) => c.id)).toContain(person.homeCentre);
      expect(person.habits.workDays.length).toBeGreaterThan(0);
    }
    expect(generatePopulation(centres, 200, "seed-2").map((p) => p.uid)).not.toEqual(
      people.map((p) => p.uid),
    );
  });

  it("gives bigger centres more residents", () => {
    const people = generatePopulation(centres, 2000, "weights");
    const living = (id: string) => people.filter((p) => p.homeCentre === id).length;
    expect(living("coffee-lille")).toBeGreaterThan(living("redu") * 2);
  });
});

describe("dailyRoutine", () => {
  const [person] = generatePopulation(centres, 1, "routine");

  it("enters before it leaves, at one centre, and pairs every lunch exit with a return", () => {
    if (person === undefined) throw new Error("no person");
    let days = 0;
    for (let day = 0; day < 200; day++) {
      const steps = dailyRoutine(person, (day % 7) + 1, ["redu", "arlon"], new SeededRandom(day));
      if (steps.length === 0) continue;
      days += 1;
      expect(steps[0]?.move).toBe("enter");
      expect(steps.at(-1)?.move).toBe("leave");
      expect(new Set(steps.map((s) => s.centre)).size).toBe(1);
      expect(steps.filter((s) => s.move === "enter")).toHaveLength(steps.length / 2);
      const minutes = steps.map((s) => s.minute);
      expect([...minutes].sort((a, b) => a - b)).toEqual(minutes);
    }
    expect(days).toBeGreaterThan(20);
  });

  it("keeps a centre-membership holder at home", () => {
    if (person === undefined) throw new Error("no person");
    const member = {
      ...person,
      pass: "centre-membership" as const,
      habits: { ...person.habits, roamChance: 1 },
    };
    for (let day = 0; day < 50; day++) {
      for (const step of dailyRoutine(
        member,
        2,
        ["redu", "arlon", "coffee-lille"],
        new SeededRandom(day),
      )) {
        expect(step.centre).toBe(member.homeCentre);
      }
    }
  });
});

describe("dailyRoutine's quick stops", () => {
  it("sends some people in for a short visit on a day off, early and brief", () => {
    const people = generatePopulation(centres, 300, "drop-in");
    let visits = 0;
    for (const person of people) {
      const dayOff = [1, 2, 3, 4, 5].find((d) => !person.habits.workDays.includes(d));
      if (dayOff === undefined) continue;
      const steps = dailyRoutine(person, dayOff, ["redu"], new SeededRandom(person.key));
      if (steps.length === 0) continue;
      const [enter, leave] = steps;
      if (steps.length !== 2 || leave === undefined || enter === undefined) continue;
      if (leave.minute - enter.minute > 25) continue; // the odd extra full day
      visits += 1;
      expect(enter.centre).toBe(person.homeCentre);
      expect(enter.minute).toBeGreaterThanOrEqual(6 * 60 + 45);
      expect(enter.minute).toBeLessThanOrEqual(8 * 60 + 30);
      expect(leave.minute - enter.minute).toBeGreaterThanOrEqual(10);
    }
    expect(visits).toBeGreaterThan(10);
  });
});
