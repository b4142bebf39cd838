import { beforeEach, expect, it } from "vitest";
import { createCentre } from "../../src/domain/centres.js";
import { confirmSession } from "../../src/hours/confirmations.js";
import { correctSession } from "../../src/hours/corrections.js";
import { listSessions } from "../../src/hours/sessionList.js";
import type { Store } from "../../src/store/openStore.js";
import { expectDomainError } from "../support/expectDomainError.js";
import { admin } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { everyDay8to18, HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();

// Sessions nobody saw end (docs/hours.md "No-exit policy"). Monday 23 November 2026, Brussels
// (+01:00), every centre open 08:00–18:00, minutes rounded up to 15. The same member, the same
// day: in at 09:00, back in at 12:00 (a refresh: no exit was counted), never seen leaving.
describeOnEngines(engines, "no-exit policies and unconfirmed sessions", (harness) => {
  let store: Store;
  let world: HoursWorld;
  const day = (member: string, centre: string) => [
    world.badge(member, centre, "2026-11-23T09:00+01:00"),
    world.badge(member, centre, "2026-11-23T12:00+01:00"),
  ];

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store, "2026-11-23T18:00:00Z");
  });

  it("by default ends it 30 minutes after the member was last seen (last-seen), unconfirmed", async () => {
    // Created without settings: the network's default policy.
    await createCentre(world.deps, admin, {
      id: "libin",
      name: "Libin",
      timeZone: "Europe/Brussels",
      openingHours: everyDay8to18,
      capacity: 10,
      hourlyRateCents: 450,
    });
    await world.deliver(...day("ann", "libin"));
    const [session] = await world.sessions("ann");
    // 09:00 → 12:00 + 30 min = 12:30: 210 min.
    expect(session).toMatchObject({
      started_at: Date.parse("2026-11-23T08:00:00Z"),
      ended_at: Date.parse("2026-11-23T11:30:00Z"),
      close_reason: "inactivity",
      rule_close_reason: "inactivity",
      confirmed: 0,
      billable_minutes: 210,
    });
  });

  it("applies each centre's policy: closing time, last seen with its grace, a cap", async () => {
    await world.centre("closing", undefined, { noExitPolicy: { kind: "closing-time" } });
    await world.centre("grace", undefined, {
      noExitPolicy: { kind: "last-seen", graceMinutes: 45 },
    });
    await world.centre("capped", undefined, { noExitPolicy: { kind: "cap", maxMinutes: 120 } });
    await world.deliver(...day("ann", "closing"), ...day("bob", "grace"), ...day("carl", "capped"));
    const rows = await world.sessions();
    expect(
      rows.map((s) => [
        s.member_id,
        new Date(s.ended_at).toISOString(),
        s.close_reason,
        s.billable_minutes,
        s.confirmed,
      ]),
    ).toEqual([
      ["ann", "2026-11-23T17:00:00.000Z", "closing-time", 540, 0], // 09:00–18:00
      ["bob", "2026-11-23T11:45:00.000Z", "inactivity", 225, 0], // 12:00 + 45 min
      ["carl", "2026-11-23T10:00:00.000Z", "cap", 120, 0], // 09:00 + 120 min
    ]);
  });

  it("lets a seen exit win over the policy: an exit before the policy's time is the end", async () => {
    await world.centre("grace", undefined, {
      noExitPolicy: { kind: "last-seen", graceMinutes: 30 },
    });
    await world.deliver(
      ...day("ann", "grace"),
      // Her 12:00 badge was a re-entry with no exit counted since 09:00: still one person.
      world.exit("grace", "2026-11-23T16:00+01:00"), // → 0: last out, hours after last seen
    );
    // The last-out is an event: it ends the session at 16:00, confirmed, 420 min.
    expect(await world.summary("ann")).toEqual([
      ["grace", "2026-11-23T08:00:00.000Z", 420, "last-out"],
    ]);
  });

  it("leaves a session still running out of the unconfirmed list: its rule's end is not yet a fact", async () => {
    await world.centre("grace", undefined, {
      noExitPolicy: { kind: "last-seen", graceMinutes: 30 },
    });
    // Now is 18:00Z. Ann's session ended 11:30Z; Dave came in at 17:50Z, his rule gives 18:20Z.
    await world.deliver(
      ...day("ann", "grace"),
      world.badge("dave", "grace", "2026-11-23T18:50+01:00"),
    );
    const unconfirmed = async (endedBy?: number) =>
      (
        await listSessions(
          world.deps,
          {
            centreIds: ["grace"],
            confirmed: false,
            openMonthsOnly: true,
            ...(endedBy === undefined ? {} : { endedBy }),
          },
          { limit: 10 },
        )
      ).rows.map((s) => s.member_id);
    expect(await unconfirmed()).toEqual(["dave", "ann"]);
    expect(await unconfirmed(world.deps.clock.now())).toEqual(["ann"]);
  });

  it("lists the unconfirmed sessions for one-click confirm or correct, which hold through rebuilds", async () => {
    await world.centre("grace", undefined, {
      noExitPolicy: { kind: "last-seen", graceMinutes: 30 },
    });
    await world.deliver(
      ...day("ann", "grace"),
      world.badge("bob", "grace", "2026-11-23T10:00+01:00"),
    );
    const unconfirmed = async () =>
      (
        await listSessions(
          world.deps,
          { centreIds: ["grace"], confirmed: false, openMonthsOnly: true },
          { limit: 10 },
        )
      ).rows.map((s) => s.member_id);
    expect(await unconfirmed()).toEqual(["bob", "ann"]); // newest first
    const [ann] = await world.sessions("ann");
    const [bob] = await world.sessions("bob");
    if (ann === undefined || bob === undefined) throw new Error("sessions missing");

    // 19:00: within a day of their ends (12:30, 10:30): the manager may.
    await confirmSession(world.deps, admin, "manager", ann.id);
    await expectDomainError(confirmSession(world.deps, admin, "manager", ann.id), "conflict");
    await correctSession(world.deps, admin, "manager", bob.id, {
      minutes: 240,
      reason: "left at 14:00",
    });
    expect(world.deps.audits.map((a) => a.action).slice(-2)).toEqual([
      "session.confirm",
      "session.correct",
    ]);
    expect(await unconfirmed()).toEqual([]);

    // A later event rebuilds the day: the confirmation and the correction still hold.
    await world.deliver(world.badge("carl", "grace", "2026-11-23T13:00+01:00"));
    const after = await world.sessions();
    expect(
      after.map((s) => [
        s.member_id,
        s.close_reason,
        s.rule_close_reason,
        s.confirmed,
        s.billable_minutes,
      ]),
    ).toEqual([
      ["ann", "inactivity", "inactivity", 1, 210],
      ["bob", "correction", "inactivity", 1, 240],
      ["carl", "inactivity", "inactivity", 0, 30],
    ]);

    // Two days later the manager's window (24 h after the end) is closed; the coordinator's not.
    world.deps.clock.set("2026-11-25T18:00:00Z");
    const [carl] = await world.sessions("carl");
    await expectDomainError(
      confirmSession(world.deps, admin, "manager", carl?.id ?? ""),
      "forbidden",
    );
    await confirmSession(world.deps, admin, "coordinator", carl?.id ?? "");
    expect((await world.sessions("carl"))[0]?.confirmed).toBe(1);
  });
});
