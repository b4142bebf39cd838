import { describe, expect, it } from "vitest";
import { generatePopulation } from "../../src/people/population.js";
import { planDayBookings } from "../../src/scenario/dayBookings.js";
import type { PlannedStep } from "../../src/scenario/scenarioRunner.js";

const people = generatePopulation([{ id: "redu", capacity: 10 }], 400, "bookings");
const morning = Date.parse("2026-03-03T07:00:00Z");
const MINUTE = 60_000;

/** Everyone comes at 09:00 + i minutes and leaves 3 h later (simulated = real time here). */
const steps: PlannedStep[] = people.flatMap((person, i) => [
  { person, centre: "redu", move: "enter", minute: 0, at: morning + i * MINUTE },
  { person, centre: "redu", move: "leave", minute: 0, at: morning + i * MINUTE + 180 * MINUTE },
]);

const plan = () =>
  planDayBookings(steps, {
    seed: "s",
    date: "2026-03-03",
    desks: () => ["redu-desk-1", "redu-desk-2"],
    realTime: (at) => at,
    now: morning - 30 * MINUTE,
  });

describe("planDayBookings", () => {
  it("books for some visitors, the same ones for the same seed and date", () => {
    const bookings = plan();
    expect(bookings).toEqual(plan());
    // 15 % of 400 visitors, give or take the draw.
    expect(bookings.length).toBeGreaterThan(35);
    expect(bookings.length).toBeLessThan(85);
  });

  it("covers each visit from its arrival (rounded down to 5 min) to its departure", () => {
    for (const booking of plan()) {
      const index = people.findIndex((p) => p.key === booking.person);
      const arrival = morning + index * MINUTE;
      expect(booking.start).toBeLessThanOrEqual(arrival);
      expect(arrival - booking.start).toBeLessThan(5 * MINUTE);
      expect(booking.end).toBeGreaterThanOrEqual(arrival + 180 * MINUTE);
      expect(["redu-desk-1", "redu-desk-2"]).toContain(booking.resourceId);
    }
  });

  it("leaves about one booking in five not honoured", () => {
    const bookings = plan();
    const noShows = bookings.filter((b) => !b.honoured).length;
    expect(noShows).toBeGreaterThan(0);
    expect(noShows).toBeLessThan(bookings.length / 2);
  });

  it("never starts a booking before now", () => {
    const now = morning + 100 * MINUTE + 20_000;
    const bookings = planDayBookings(steps, {
      seed: "s",
      date: "2026-03-03",
      desks: () => ["redu-desk-1"],
      realTime: (at) => at,
      now,
    });
    for (const booking of bookings) expect(booking.start).toBeGreaterThanOrEqual(now);
  });
});
