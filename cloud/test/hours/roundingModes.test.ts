import { beforeEach, expect, it } from "vitest";
import { createMember } from "../../src/domain/members.js";
import { createPass } from "../../src/domain/passes.js";
import { correctSession } from "../../src/hours/corrections.js";
import { hoursReport, settlementReport } from "../../src/hours/monthReports.js";
import type { Store } from "../../src/store/openStore.js";
import { admin } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;

// Rounding per centre (docs/hours.md "Rounding"), 15-minute steps, 450 cents an hour. November
// 2026 in Brussels (+01:00); the clock stands at 1 December: the month is over, not closed.
describeOnEngines(engines, "rounding modes", (harness) => {
  let store: Store;
  let world: HoursWorld;
  let ann: string;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store, "2026-12-01T09:00:00Z");
    await world.centre("up", undefined, { roundingMode: "session-up" });
    await world.centre("near", undefined, { roundingMode: "session-nearest" });
    await world.centre("total", undefined, { roundingMode: "month-total" });
    ann = (await createMember(world.deps, admin, { name: "Ann", email: "ann@example.org" })).id;
    await createPass(world.deps, admin, {
      memberId: ann,
      kind: "network",
      validFrom: Date.parse("2026-01-01T00:00:00Z"),
      validTo: Date.parse("2027-01-01T00:00:00Z"),
    });
  });

  /** Two visits of 61 minutes, on two days of November (Monday and Tuesday by default). */
  const twoVisits = (centre: string, days = ["23", "24"]) =>
    days.flatMap((day) => [
      world.badge(ann, centre, `2026-11-${day}T09:00+01:00`),
      world.badge(ann, centre, `2026-11-${day}T10:01+01:00`, out),
    ]);

  it("per session up: each 61 minutes is 75, the month 150", async () => {
    await world.deliver(...twoVisits("up"));
    expect((await world.sessions()).map((s) => s.billable_minutes)).toEqual([75, 75]);
    const report = await hoursReport(world.deps, "2026-11", { centreIds: ["up"] });
    expect(report.lines.map((l) => l.minutes)).toEqual([150]);
  });

  it("per session to the nearest step, half up: 67 → 60, 67.5 → 75, 68 → 75", async () => {
    await world.deliver(
      world.badge("a", "near", "2026-11-23T09:00+01:00"),
      world.badge("b", "near", "2026-11-23T09:00+01:00"),
      world.badge("c", "near", "2026-11-23T09:00+01:00"),
      world.badge("a", "near", "2026-11-23T10:07+01:00", out),
      world.badge("b", "near", "2026-11-23T10:07:30+01:00", out),
      world.badge("c", "near", "2026-11-23T10:08+01:00", out),
      // 7 minutes is under half a step: 0; 8 is over: 15.
      world.badge("d", "near", "2026-11-23T11:00+01:00"),
      world.badge("d", "near", "2026-11-23T11:07+01:00", out),
      world.badge("e", "near", "2026-11-23T12:00+01:00"),
      world.badge("e", "near", "2026-11-23T12:08+01:00", out),
    );
    const minutes = Object.fromEntries(
      (await world.sessions()).map((s) => [s.member_id, s.billable_minutes]),
    );
    expect(minutes).toEqual({ a: 60, b: 75, c: 75, d: 0, e: 15 });
  });

  it("on the month's total per member and centre: 61 + 61 = 122 → 135, shown in settlement", async () => {
    await world.deliver(...twoVisits("total"), ...twoVisits("up", ["25", "26"]));
    // Each session shows its own minutes; the month rounds their exact sum once.
    expect(
      (await world.sessions())
        .filter((s) => s.centre_id === "total")
        .map((s) => s.billable_minutes),
    ).toEqual([61, 61]);
    const report = await hoursReport(world.deps, "2026-11", {});
    expect(report.lines.map((l) => [l.centreId, l.sessionCount, l.minutes])).toEqual([
      ["total", 2, 135],
      ["up", 2, 150],
    ]);
    const settlement = await settlementReport(world.deps, "2026-11", {});
    // 135 min × 450/h = 1012.5 → 1013; 150 min = 1125.
    expect(
      settlement.lines.map((c) => [c.centreId, c.rounding, c.passRule, c.amountCents]),
    ).toEqual([
      ["total", { mode: "month-total", stepMinutes: 15 }, "network-pass-at-session-start", 1013],
      ["up", { mode: "session-up", stepMinutes: 15 }, "network-pass-at-session-start", 1125],
    ]);

    // A correction counts its minutes in the total: 61 + 30 = 91 → 105.
    const [first] = (await world.sessions()).filter((s) => s.centre_id === "total");
    await correctSession(world.deps, admin, "coordinator", first?.id ?? "", {
      minutes: 30,
      reason: "left early",
    });
    const corrected = await hoursReport(world.deps, "2026-11", { centreIds: ["total"] });
    expect(corrected.lines.map((l) => l.minutes)).toEqual([105]);
  });
});
