import { uuidv7 } from "@passerelle/protocol";
import { beforeEach, expect, it } from "vitest";
import { bookedVsUsed } from "../../src/hours/bookedVsUsed.js";
import { networkFigures } from "../../src/hours/networkFigures.js";
import type { BookingsTable } from "../../src/store/database.js";
import type { Store } from "../../src/store/openStore.js";
import { expectDomainError } from "../support/expectDomainError.js";
import { at } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { aroundTheClock, HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;

describeOnEngines(engines, "network figures and booked vs used", (harness) => {
  let store: Store;
  let world: HoursWorld;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store, "2026-04-02T09:00:00Z");
    await world.centre("hub", aroundTheClock); // 10 seats, always open
    await world.centre("redu"); // 10 seats, every day 08:00–18:00
  });

  it("counts users a day, occupancy and its peak over the 23-hour day of 29 March 2026", async () => {
    await world.deliver(
      world.badge("bob", "hub", "2026-03-29T00:30+01:00"),
      world.badge("bob", "hub", "2026-03-29T04:30+02:00", out), // 3 real hours
      world.badge("ann", "hub", "2026-03-29T01:00+01:00"),
      world.badge("ann", "hub", "2026-03-29T05:00+02:00", out), // 3 real hours
    );
    const [hub] = await networkFigures(
      world.deps,
      at("2026-03-29T00:00+01:00"),
      at("2026-03-30T00:00+02:00"),
      ["hub"],
    );
    // 23 h × 60 × 10 seats = 13 800 seat-minutes; 360 occupied → 0.0261.
    expect(hub).toEqual({
      centreId: "hub",
      openDays: 1,
      averageDailyUsers: 2,
      peakDailyUsers: 2,
      peakDay: "2026-03-29",
      closedDayUsers: 0,
      occupancyRate: 0.0261,
      occupiedSeatMinutes: 360,
      capacitySeatMinutes: 13_800,
      peakOccupancy: 2,
      peakAt: "2026-03-29T00:00:00.000Z",
    });
  });

  it("counts only opening hours for occupancy, and averages users over open days", async () => {
    await world.deliver(
      // Monday 30 March: 07:00 is before opening, so the session opens outside the hours and
      // only the inactivity limit closes it; its 10 minutes before 08:00 are not occupancy.
      world.badge("ann", "redu", "2026-03-30T07:50+02:00"),
      world.badge("ann", "redu", "2026-03-30T09:50+02:00", out),
      world.badge("bob", "redu", "2026-03-31T10:00+02:00"),
      world.badge("bob", "redu", "2026-03-31T11:00+02:00", out),
      world.badge("ann", "redu", "2026-03-31T10:30+02:00"),
      world.badge("ann", "redu", "2026-03-31T11:00+02:00", out),
    );
    const [redu] = await networkFigures(
      world.deps,
      at("2026-03-30T00:00+02:00"),
      at("2026-04-01T00:00+02:00"),
      ["redu"],
    );
    // 2 days × 600 min × 10 seats = 12 000; occupied 110 + 60 + 30 = 200 → 0.0167.
    expect(redu).toMatchObject({
      openDays: 2,
      averageDailyUsers: 1.5,
      peakDailyUsers: 2,
      peakDay: "2026-03-31",
      occupiedSeatMinutes: 200,
      capacitySeatMinutes: 12_000,
      occupancyRate: 0.0167,
      peakOccupancy: 2,
    });
    await expectDomainError(networkFigures(world.deps, 10, 5), "invalid", "to");
  });

  it("sets bookings against their use: used, no-shows, cancelled", async () => {
    const booking = (id: string, over: Partial<BookingsTable>): BookingsTable => ({
      id,
      resource_id: "redu-desk-1",
      centre_id: "redu",
      member_id: "ann",
      series_id: null,
      starts_at: at("2026-03-30T09:00+02:00"),
      ends_at: at("2026-03-30T12:00+02:00"),
      status: "confirmed",
      created_at: at("2026-03-01T09:00Z"),
      created_by: "user:ann",
      checked_in_at: null,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      ...over,
    });
    await store.db
      .insertInto("members")
      .values({
        id: "ann",
        name: "Ann",
        email: "ann@example.org",
        home_centre_id: null,
        language: "fr",
        created_at: 0,
        archived_at: null,
      })
      .execute();
    await store.db
      .insertInto("resources")
      .values({
        id: "redu-desk-1",
        centre_id: "redu",
        kind: "desk",
        name: "Desk",
        capacity: 1,
        created_at: 0,
        archived_at: null,
      })
      .execute();
    await store.db
      .insertInto("bookings")
      .values([
        booking(uuidv7(), { checked_in_at: at("2026-03-30T09:05+02:00") }),
        booking(uuidv7(), {
          status: "released",
          cancel_reason: "no-show",
          cancelled_by: "system:no-show",
        }),
        // Over, and ann did not badge in during it (her badge-in at 09:05 checks in the first).
        booking(uuidv7(), {
          starts_at: at("2026-03-30T14:00+02:00"),
          ends_at: at("2026-03-30T15:00+02:00"),
        }),
        booking(uuidv7(), { status: "cancelled", cancel_reason: "plans changed" }),
        // 1 April 00:30 in Brussels is still 31 March in UTC: it counts in April.
        booking(uuidv7(), {
          starts_at: at("2026-04-01T00:30+02:00"),
          ends_at: at("2026-04-01T01:30+02:00"),
        }),
      ])
      .execute();
    await world.deliver(
      world.badge("ann", "redu", "2026-03-30T09:05+02:00"),
      world.badge("ann", "redu", "2026-03-30T11:00+02:00", out), // 115 → 120 min
    );
    expect(await bookedVsUsed(world.deps, "2026-03", ["redu"])).toEqual([
      {
        centreId: "redu",
        bookings: 3,
        bookedMinutes: 420,
        used: 1,
        noShows: 2,
        cancelled: 1,
        presenceMinutes: 120,
      },
    ]);
    expect(await bookedVsUsed(world.deps, "2026-04", [])).toEqual([]);
    expect((await bookedVsUsed(world.deps, "2026-04"))[0]).toMatchObject({ bookings: 1 });
  });
});
