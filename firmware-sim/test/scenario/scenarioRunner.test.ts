import { describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { defaultDoorHabits } from "../../src/doors/doorHabits.js";
import { addEntrance, type SimulatedEntrance } from "../../src/doors/simulatedEntrance.js";
import { generatePopulation } from "../../src/people/population.js";
import type { SimPerson } from "../../src/people/simPerson.js";
import { localDay } from "../../src/scenario/localDay.js";
import { ScenarioClock } from "../../src/scenario/scenarioClock.js";
import { ScenarioRunner } from "../../src/scenario/scenarioRunner.js";

const centres = [
  { id: "redu", capacity: 14 },
  { id: "arlon", capacity: 24 },
];
const tuesday = Date.parse("2026-03-03T06:30:00Z"); // 07:30 in Brussels

function runner(seed: string, people = 80) {
  const hub = new DeviceHub();
  const entrances = new Map<string, SimulatedEntrance>(
    centres.map((c) => [c.id, addEntrance(hub, c.id)]),
  );
  return new ScenarioRunner({
    people: generatePopulation(centres, people, seed),
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

/** A gateway stand-in: grants every card but `refusedUid`, the exit reader and the button. */
function grantingDoors(refusedUid: string) {
  const hub = new DeviceHub();
  const log: string[] = [];
  const entrances = new Map<string, SimulatedEntrance>();
  for (const [centre, kind] of [
    ["redu", "free-egress"],
    ["arlon", "exit-reader"],
  ] as const) {
    const entrance = addEntrance(hub, centre, kind);
    const release = (what: string) => (uid?: Uint8Array) => {
      const hex = uid === undefined ? "" : Buffer.from(uid).toString("hex").toUpperCase();
      log.push(`${centre}:${what}${hex ? `:${hex}` : ""}`);
      if (hex === refusedUid) return;
      setImmediate(() => entrance.door.lock.apply(true));
    };
    entrance.reader.on("badge", release("in"));
    entrance.exitReader?.on("badge", release("out-badge"));
    entrance.door.exitButton.on("change", (active) => active && release("button")());
    entrance.door.contact.on("change", (open) => !open && entrance.door.lock.apply(false));
    entrances.set(centre, entrance);
  }
  return { entrances, log };
}

describe("ScenarioRunner playing a day", () => {
  it("sends a refused person home, and lets people out the way each door allows", async () => {
    const population = generatePopulation(centres, 30, "play");
    const start = tuesday - 90 * 60_000; // 06:00: the whole day is still to come
    const options = {
      people: population,
      seed: "play",
      timeZone: "Europe/Brussels",
      habits: {
        ...defaultDoorHabits,
        unlockPatienceMs: 30,
        reactionMs: [0, 0],
        passMs: [1, 1],
        settleAfterEntryMs: 0,
      },
    } as const;
    const plan = runner("play", 30).planDay(start);
    // Someone whose day has moves after the entry: none of them may happen once refused.
    const refused = population.find(
      (p) => plan.filter((s) => s.person.key === p.key).length >= 2,
    ) as SimPerson;
    const { entrances, log } = grantingDoors(refused.uid);
    let real = 0;
    const day = new ScenarioRunner({
      ...options,
      entrances,
      // 06:00 to about 21:00 in 0.9 s of real time: one day only.
      clock: new ScenarioClock(start, 60_000, () => real),
    });
    const realStart = Date.now();
    const tick = setInterval(() => {
      real = Date.now() - realStart;
    }, 5);
    day.start();
    await new Promise((resolve) => setTimeout(resolve, 900));
    clearInterval(tick);
    await day.stop(2000);

    expect(log.filter((line) => line.includes(refused.uid))).toHaveLength(1);
    expect(log.some((line) => line.startsWith("arlon:out-badge:"))).toBe(true);
    expect(log.some((line) => line.startsWith("redu:button"))).toBe(false);
    expect(log.filter((line) => line.includes(":in:")).length).toBeGreaterThan(5);
    const stats = day.stats();
    expect(stats["leave:passed"] ?? 0).toBeLessThanOrEqual(stats["enter:passed"] ?? 0);
  });
});
