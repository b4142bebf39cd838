import { beforeEach, expect, it } from "vitest";
import { createMember } from "../../src/domain/members.js";
import { createPass } from "../../src/domain/passes.js";
import { closeMonth, getMonth } from "../../src/hours/monthClose.js";
import { hoursReport, settlementReport } from "../../src/hours/monthReports.js";
import type { Store } from "../../src/store/openStore.js";
import { expectDomainError } from "../support/expectDomainError.js";
import { admin } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;
const year2026 = {
  validFrom: Date.parse("2026-01-01T00:00:00Z"),
  validTo: Date.parse("2027-01-01T00:00:00Z"),
};

// November 2026 in Brussels is CET (+01:00). redu pays 450 cents an hour, ciney 600; both are
// open every day 08:00–18:00. The clock stands at 1 December 10:00 local: November is over.
describeOnEngines(engines, "monthly hours, settlement and month close", (harness) => {
  let store: Store;
  let world: HoursWorld;
  let ann: string; // network pass
  let bob: string; // ciney's own membership
  let carl: string; // network pass and redu's own membership
  const name = (id: string) => ({ [ann]: "ann", [bob]: "bob", [carl]: "carl" })[id] ?? id;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store, "2026-12-01T09:00:00Z");
    await world.centre("redu", undefined, {}, 450);
    await world.centre("ciney", undefined, {}, 600);
    const deps = world.deps;
    const member = async (first: string) =>
      (await createMember(deps, admin, { name: first, email: `${first}@example.org` })).id;
    ann = await member("ann");
    bob = await member("bob");
    carl = await member("carl");
    await createPass(deps, admin, { memberId: ann, kind: "network", ...year2026 });
    await createPass(deps, admin, {
      memberId: bob,
      kind: "centre-membership",
      validCentreId: "ciney",
      ...year2026,
    });
    await createPass(deps, admin, { memberId: carl, kind: "network", ...year2026 });
    await createPass(deps, admin, {
      memberId: carl,
      kind: "centre-membership",
      validCentreId: "redu",
      ...year2026,
    });
    await world.deliver(
      world.badge(ann, "redu", "2026-11-23T09:00+01:00"),
      world.badge(ann, "redu", "2026-11-23T11:37+01:00", out), // 157 → 165 min
      world.badge(ann, "redu", "2026-11-24T10:00+01:00"),
      world.badge(ann, "redu", "2026-11-24T12:00+01:00", out), // 120 min
      world.badge(carl, "redu", "2026-11-23T09:00+01:00"),
      world.badge(carl, "redu", "2026-11-23T10:00+01:00", out), // 60 min
    );
    await world.deliver(
      world.badge(ann, "ciney", "2026-11-24T14:00+01:00"), // no exit: 18:00 closing, 240 min
      world.badge(bob, "ciney", "2026-11-23T09:00+01:00"),
      world.badge(bob, "ciney", "2026-11-23T10:00+01:00", out), // 60 min
      world.badge(carl, "ciney", "2026-11-25T09:00+01:00"),
      world.badge(carl, "ciney", "2026-11-25T09:50+01:00", out), // 50 → 60 min
    );
  });

  it("reports hours per member per centre for the month and per day", async () => {
    const report = await hoursReport(world.deps, "2026-11", {}, true);
    expect(report).toMatchObject({ month: "2026-11", status: "open", provisional: false });
    expect(
      report.lines.map((l) => [l.centreId, name(l.memberId), l.sessionCount, l.minutes]),
    ).toEqual(
      expect.arrayContaining([
        ["ciney", "ann", 1, 240],
        ["ciney", "bob", 1, 60],
        ["ciney", "carl", 1, 60],
        ["redu", "ann", 2, 285],
        ["redu", "carl", 1, 60],
      ]),
    );
    expect(report.lines).toHaveLength(5);
    const annAtRedu = report.days?.filter((d) => d.memberId === ann && d.centreId === "redu");
    expect(annAtRedu?.map((d) => [d.date, d.minutes])).toEqual([
      ["2026-11-23", 165],
      ["2026-11-24", 120],
    ]);
    const redu = await hoursReport(world.deps, "2026-11", { centreIds: ["redu"], memberId: carl });
    expect(redu.lines.map((l) => [l.centreId, l.minutes])).toEqual([["redu", 60]]);
  });

  it("settles network members' hours at each centre's rate, traceable to sessions", async () => {
    const report = await settlementReport(world.deps, "2026-11", {}, true);
    // redu: ann 285 min × 450/h = 2137.5 → 2138 (carl holds redu's own pass: not settled).
    // ciney: ann 240 min × 600/h = 2400, carl 60 min = 600 (bob holds ciney's pass).
    expect(report.totalCents).toBe(5138);
    const lines = report.lines.map((c) => [
      c.centreId,
      c.amountCents,
      c.members.map((m) => [name(m.memberId), m.minutes, m.amountCents]),
    ]);
    expect(lines).toEqual([
      [
        "ciney",
        3000,
        expect.arrayContaining([
          ["ann", 240, 2400],
          ["carl", 60, 600],
        ]),
      ],
      ["redu", 2138, [["ann", 285, 2138]]],
    ]);
    const annAtRedu = report.lines[1]?.members[0];
    const sessions = await world.sessions(ann);
    expect(annAtRedu?.sessionIds).toEqual(
      sessions
        .filter((s) => s.centre_id === "redu")
        .map((s) => s.open_event_id)
        .sort(),
    );
  });

  it("freezes a closed month: same bytes forever, late events carried to the next month, flagged", async () => {
    const closed = await closeMonth(world.deps, admin, "2026-11");
    expect(closed.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(world.deps.audits.at(-1)).toMatchObject({
      action: "month.close",
      subject: "month:2026-11",
    });
    const hoursBytes = JSON.stringify(await hoursReport(world.deps, "2026-11", {}, true));
    const settlementBytes = JSON.stringify(await settlementReport(world.deps, "2026-11", {}, true));
    const month = await getMonth(world.deps, "2026-11");
    expect(month.status).toBe("closed");

    // A late swipe of 26 November: ann at redu 09:00–10:00 (60 min).
    world.deps.clock.set("2026-12-02T09:00:00Z");
    await world.deliver(
      world.badge(ann, "redu", "2026-11-26T09:00+01:00"),
      world.badge(ann, "redu", "2026-11-26T10:00+01:00", out),
    );
    expect(JSON.stringify(await hoursReport(world.deps, "2026-11", {}, true))).toBe(hoursBytes);
    expect(JSON.stringify(await settlementReport(world.deps, "2026-11", {}, true))).toBe(
      settlementBytes,
    );
    expect((await getMonth(world.deps, "2026-11")).statement).toBe(month.statement);

    const december = await hoursReport(world.deps, "2026-12", { memberId: ann });
    expect(december).toMatchObject({ status: "provisional", provisional: true });
    expect(december.lines).toEqual([
      {
        centreId: "redu",
        memberId: ann,
        sessionCount: 0,
        sessionMinutes: 0,
        lateMinutes: 60,
        minutes: 60,
      },
    ]);
    const carried = await store.db.selectFrom("session_adjustments").selectAll().execute();
    expect(carried).toEqual([
      expect.objectContaining({
        kind: "late-event",
        month: "2026-12",
        source_month: "2026-11",
        flagged: 1,
        minutes: 60,
        settled_minutes: 60,
        actor: "system:late-events",
      }),
    ]);
    const settlement = await settlementReport(world.deps, "2026-12", {});
    expect(settlement.totalCents).toBe(450); // 60 min × 450/h
    // Delivering the same events again carries nothing twice.
    await world.updater.catchUp();
    await store.db
      .deleteFrom("settings")
      .where("key", "=", "hours.sessions_received_up_to")
      .execute();
    await world.updater.catchUp();
    expect(await store.db.selectFrom("session_adjustments").selectAll().execute()).toHaveLength(1);
  });

  it("refuses to close a month not ended, or twice", async () => {
    await expectDomainError(closeMonth(world.deps, admin, "2026-12"), "conflict");
    await closeMonth(world.deps, admin, "2026-11");
    await expectDomainError(closeMonth(world.deps, admin, "2026-11"), "conflict");
  });

  it("labels a month not ended provisional and counts a running session up to now", async () => {
    await world.deliver(world.badge(ann, "redu", "2026-12-01T09:00+01:00"));
    // Now is 10:00 local: 60 min so far (the stored projection runs to 18:00 closing).
    const report = await hoursReport(world.deps, "2026-12", {});
    expect(report).toMatchObject({ status: "provisional", provisional: true });
    expect(report.lines.map((l) => [l.centreId, l.minutes])).toEqual([["redu", 60]]);
    const settlement = await settlementReport(world.deps, "2026-12", {});
    expect(settlement.totalCents).toBe(450);
  });
});
