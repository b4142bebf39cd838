import { beforeEach, expect, it } from "vitest";
import { updateCentre } from "../../src/domain/centres.js";
import { createMember } from "../../src/domain/members.js";
import { changePassValidity, createPass } from "../../src/domain/passes.js";
import { correctSession } from "../../src/hours/corrections.js";
import { closeMonth } from "../../src/hours/monthClose.js";
import { hoursReport, settlementReport } from "../../src/hours/monthReports.js";
import { networkFigures } from "../../src/hours/networkFigures.js";
import type { Store } from "../../src/store/openStore.js";
import { admin, at } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { aroundTheClock, HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;
const year2026 = {
  validFrom: Date.parse("2026-01-01T00:00:00Z"),
  validTo: Date.parse("2027-01-01T00:00:00Z"),
};

// The defects an outside check of the hours found (issue 14), each failing before its fix.
// November 2026 in Brussels (+01:00); redu open 08:00–18:00, hub around the clock (12 h
// inactivity limit), both with the closing-time rule, 15-minute steps up, 450 cents an hour.
describeOnEngines(engines, "hours defects", (harness) => {
  let store: Store;
  let world: HoursWorld;
  let ann: string;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store, "2026-12-01T09:00:00Z");
    await world.centre("redu");
    await world.centre("hub", aroundTheClock);
    ann = (await createMember(world.deps, admin, { name: "Ann", email: "ann@example.org" })).id;
    await createPass(world.deps, admin, { memberId: ann, kind: "network", ...year2026 });
  });

  it("keeps a correction when a late, earlier entry becomes the session's opening event", async () => {
    const entry = world.badge(ann, "redu", "2026-11-23T10:00+01:00");
    await world.deliver(entry, world.badge(ann, "redu", "2026-11-23T12:00+01:00", out));
    await correctSession(world.deps, admin, "coordinator", entry.id, {
      minutes: 90,
      reason: "lunch outside",
    });
    // The door's outbox delivers the 09:00 badge-in late: it opens the session now, and the
    // 10:00 entry (the one the correction named) is a refresh inside it.
    const earlier = world.badge(ann, "redu", "2026-11-23T09:00+01:00");
    await world.deliver(earlier);
    const [session] = await world.sessions(ann);
    expect(session).toMatchObject({
      id: earlier.id,
      computed_minutes: 180, // 09:00–12:00
      billable_minutes: 90, // the correction still counts
      close_reason: "correction",
      confirmed: 1,
    });
    const report = await hoursReport(world.deps, "2026-11", { memberId: ann });
    expect(report.lines.map((l) => l.minutes)).toEqual([90]);
    // A console still showing the old id corrects the session that now holds that entry.
    const again = await correctSession(world.deps, admin, "coordinator", entry.id, {
      minutes: 120,
      reason: "checked the log",
    });
    expect(again).toMatchObject({ sessionId: earlier.id, previousMinutes: 90, minutes: 120 });
  });

  it("carries a late event of a closed month with the passes and rates the close used", async () => {
    await world.deliver(
      world.badge(ann, "redu", "2026-11-23T09:00+01:00"),
      world.badge(ann, "redu", "2026-11-23T10:00+01:00", out),
    );
    const [pass] = await store.db.selectFrom("passes").select("id").execute();
    await closeMonth(world.deps, admin, "2026-11");
    // After the close: the pass is moved to start in December and redu's rate doubles.
    world.deps.clock.set("2026-12-02T09:00:00Z");
    await changePassValidity(world.deps, admin, pass?.id ?? "", {
      validFrom: Date.parse("2026-12-01T00:00:00Z"),
      validTo: year2026.validTo,
    });
    await updateCentre(world.deps, admin, "redu", { hourlyRateCents: 900 });
    // A late visit of 26 November: 60 min, paid as November paid (network pass, 450/h).
    await world.deliver(
      world.badge(ann, "redu", "2026-11-26T09:00+01:00"),
      world.badge(ann, "redu", "2026-11-26T10:00+01:00", out),
    );
    const december = await settlementReport(world.deps, "2026-12", {});
    expect(december.lines.flatMap((c) => c.members)).toEqual([
      expect.objectContaining({ memberId: ann, lateMinutes: 60, amountCents: 450 }),
    ]);
    const [carried] = await store.db
      .selectFrom("session_adjustments")
      .selectAll()
      .where("kind", "=", "late-event")
      .execute();
    expect(carried).toMatchObject({ minutes: 60, settled_minutes: 60, settled_cents: 450 });
  });

  it("counts a session longer than 24 h on every day it covers", async () => {
    // A 24/7 centre chains re-entries within the 12 h limit into one session of 52 h:
    // Monday 08:00 → Wednesday 12:00.
    await world.deliver(
      ...[
        "2026-11-23T08:00",
        "2026-11-23T18:00",
        "2026-11-24T04:00",
        "2026-11-24T14:00",
        "2026-11-25T00:00",
        "2026-11-25T10:00",
      ].map((time) => world.badge(ann, "hub", `${time}+01:00`)),
      world.badge(ann, "hub", "2026-11-25T12:00+01:00", out),
    );
    const [session] = await world.sessions(ann);
    expect((session?.ended_at ?? 0) - (session?.started_at ?? 0)).toBe(52 * 3_600_000);
    // Wednesday: occupied 00:00–12:00 = 720 seat-minutes of 1440 × 10 seats.
    const [hub] = await networkFigures(
      world.deps,
      at("2026-11-25T00:00+01:00"),
      at("2026-11-26T00:00+01:00"),
      ["hub"],
    );
    expect(hub).toMatchObject({
      occupiedSeatMinutes: 720,
      capacitySeatMinutes: 14_400,
      occupancyRate: 0.05,
      peakOccupancy: 1,
      peakAt: "2026-11-24T23:00:00.000Z",
    });
  });

  it("leaves days the centre was closed out of the users-per-day average and its divisor", async () => {
    await updateCentre(world.deps, admin, "redu", { closedDates: ["2026-11-25"] });
    await world.deliver(
      world.badge(ann, "redu", "2026-11-23T09:00+01:00"),
      world.badge(ann, "redu", "2026-11-23T10:00+01:00", out),
      // Wednesday 25 is a closed day: a badge-in there still makes a session (staff, say).
      world.badge("bob", "redu", "2026-11-25T09:00+01:00"),
      world.badge("bob", "redu", "2026-11-25T10:00+01:00", out),
    );
    const [redu] = await networkFigures(
      world.deps,
      at("2026-11-23T00:00+01:00"),
      at("2026-11-26T00:00+01:00"),
      ["redu"],
    );
    // Open days 23 and 24: 1 user-day over 2 days = 0.5; the closed day's user apart.
    expect(redu).toMatchObject({
      openDays: 2,
      averageDailyUsers: 0.5,
      peakDailyUsers: 1,
      peakDay: "2026-11-23",
      closedDayUsers: 1,
    });
  });

  it("carries, flagged and logged, an event that ends a session opened in a closed month", async () => {
    // Monday 30 November 23:00 at the 24/7 hub, no exit yet: projected to the 12 h limit.
    await world.deliver(world.badge(ann, "hub", "2026-11-30T23:00+01:00"));
    await closeMonth(world.deps, admin, "2026-11"); // counted 720 min: 5400 cents
    world.deps.clock.set("2026-12-01T10:00:00Z");
    // Her exit badge at 01:00 on 1 December ends it: 120 min, 900 cents.
    await world.deliver(world.badge(ann, "hub", "2026-12-01T01:00+01:00", out));
    const carried = await store.db
      .selectFrom("session_adjustments")
      .selectAll()
      .where("kind", "=", "late-event")
      .execute();
    expect(carried).toEqual([
      expect.objectContaining({
        month: "2026-12",
        source_month: "2026-11",
        flagged: 1,
        minutes: -600,
        settled_minutes: -600,
        settled_cents: -4500,
      }),
    ]);
    expect(world.deps.audits.at(-1)).toMatchObject({ action: "session.late-carry" });
    expect(world.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        module: "cloud:hours",
        msg: "events changed a closed month's sessions; difference carried, flagged",
      }),
    );
  });
});
