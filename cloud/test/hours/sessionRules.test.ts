import { sql } from "kysely";
import { beforeEach, expect, it } from "vitest";
import type { Store } from "../../src/store/openStore.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { aroundTheClock, HoursWorld, nights22to6 } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;

// Every expected figure below is computed by hand from the local times written in the test;
// the centres are in Europe/Brussels (CET +01:00 in winter, CEST +02:00 in summer).
describeOnEngines(engines, "presence sessions from access events", (harness) => {
  let store: Store;
  let world: HoursWorld;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store);
    await world.centre("redu"); // every day 08:00–18:00
    await world.centre("ciney");
  });

  it("opens at a granted entry and closes at the exit badge, rounded up to 15 min", async () => {
    const entry = world.badge("ana", "redu", "2026-11-23T09:00+01:00");
    const exit = world.badge("ana", "redu", "2026-11-23T11:37+01:00", out);
    await world.deliver(entry, exit);
    const [session] = await world.sessions("ana");
    // 2 h 37 min → 2 h 45 min.
    expect(session).toMatchObject({
      id: entry.id,
      open_event_id: entry.id,
      close_event_id: exit.id,
      close_reason: "exit",
      local_date: "2026-11-23",
      month: "2026-11",
      computed_minutes: 165,
      billable_minutes: 165,
    });
  });

  it("rounds at the edges: 0 stays 0, a whole step stays, one ms more is one step more", async () => {
    await world.deliver(
      world.badge("zero", "redu", "2026-11-23T09:00+01:00"),
      world.badge("zero", "redu", "2026-11-23T09:00+01:00", out),
      world.badge("whole", "redu", "2026-11-23T09:00+01:00"),
      world.badge("whole", "redu", "2026-11-23T11:00+01:00", out),
      world.badge("more", "redu", "2026-11-23T09:00+01:00"),
      world.badge("more", "redu", "2026-11-23T11:00:00.001+01:00", out),
      world.badge("minute", "redu", "2026-11-23T09:00+01:00"),
      world.badge("minute", "redu", "2026-11-23T09:01+01:00", out),
    );
    const minutes = Object.fromEntries(
      (await world.sessions()).map((s) => [s.member_id, s.billable_minutes]),
    );
    expect(minutes).toEqual({ zero: 0, whole: 120, more: 135, minute: 15 });
  });

  it("uses each centre's own rounding step", async () => {
    await world.centre("libin", undefined, { roundingStepMinutes: 30 });
    await world.deliver(
      world.badge("ana", "libin", "2026-11-23T09:00+01:00"),
      world.badge("ana", "libin", "2026-11-23T10:01+01:00", out),
    );
    // 61 min → 90 with a 30-minute step.
    expect(await world.summary("ana")).toEqual([["libin", "2026-11-23T08:00:00.000Z", 90, "exit"]]);
  });

  it("ends a session at closing time when the exit comes after it", async () => {
    await world.deliver(
      world.badge("ana", "redu", "2026-11-23T17:30+01:00"),
      world.badge("ana", "redu", "2026-11-23T18:20+01:00", out),
    );
    // 17:30 → 18:00 closing: 30 min; the late exit belongs to no session.
    expect(await world.summary("ana")).toEqual([
      ["redu", "2026-11-23T16:30:00.000Z", 30, "closing-time"],
    ]);
  });

  it("never runs a session without exit past closing time", async () => {
    await world.deliver(world.badge("ana", "redu", "2026-11-23T10:00+01:00"));
    const [session] = await world.sessions("ana");
    // 10:00 → 18:00: 8 h.
    expect(session).toMatchObject({
      ended_at: Date.parse("2026-11-23T17:00:00Z"),
      close_reason: "closing-time",
      close_event_id: null,
      billable_minutes: 480,
    });
  });

  it("closes at the centre's inactivity limit when the centre never closes", async () => {
    await world.centre("hub", aroundTheClock, { inactivityLimitMinutes: 120 });
    await world.deliver(world.badge("ana", "hub", "2026-11-23T10:00+01:00"));
    expect(await world.summary("ana")).toEqual([
      ["hub", "2026-11-23T09:00:00.000Z", 120, "inactivity"],
    ]);
  });

  it("closes the open session at a badge-in at another centre", async () => {
    const there = world.badge("ana", "ciney", "2026-11-23T11:00+01:00");
    await world.deliver(world.badge("ana", "redu", "2026-11-23T09:00+01:00"), there);
    const sessions = await world.sessions("ana");
    expect(sessions.map((s) => [s.centre_id, s.billable_minutes, s.close_reason])).toEqual([
      ["redu", 120, "other-centre"], // 09:00 → 11:00
      ["ciney", 420, "closing-time"], // 11:00 → 18:00
    ]);
    expect(sessions[0]?.close_event_id).toBe(there.id);
  });

  it("counts real time across the spring DST change (2026-03-29)", async () => {
    await world.centre("nuit", nights22to6);
    await world.centre("hub", aroundTheClock);
    await world.deliver(
      // Saturday 23:00 CET, no exit: closes at 06:00 CEST, 6 real hours (7 on the wall clock).
      world.badge("ana", "nuit", "2026-03-28T23:00+01:00"),
      // 00:30 CET → 04:30 CEST: 3 real hours.
      world.badge("bob", "hub", "2026-03-29T00:30+01:00"),
      world.badge("bob", "hub", "2026-03-29T04:30+02:00", out),
    );
    expect(await world.summary("ana")).toEqual([
      ["nuit", "2026-03-28T22:00:00.000Z", 360, "closing-time"],
    ]);
    expect((await world.sessions("ana"))[0]?.ended_at).toBe(Date.parse("2026-03-29T04:00:00Z"));
    expect(await world.summary("bob")).toEqual([["hub", "2026-03-28T23:30:00.000Z", 180, "exit"]]);
    expect((await world.sessions("bob"))[0]?.local_date).toBe("2026-03-29");
  });

  it("counts real time across the autumn DST change (2026-10-25)", async () => {
    await world.centre("nuit", nights22to6);
    await world.centre("hub", aroundTheClock);
    await world.deliver(
      // Saturday 23:00 CEST, no exit: closes at 06:00 CET, 8 real hours (7 on the wall clock).
      world.badge("ana", "nuit", "2026-10-24T23:00+02:00"),
      // 01:30 CEST → 02:30 CET (the second 02:30): 2 real hours.
      world.badge("bob", "hub", "2026-10-25T01:30+02:00"),
      world.badge("bob", "hub", "2026-10-25T02:30+01:00", out),
    );
    expect(await world.summary("ana")).toEqual([
      ["nuit", "2026-10-24T21:00:00.000Z", 480, "closing-time"],
    ]);
    expect(await world.summary("bob")).toEqual([["hub", "2026-10-24T23:30:00.000Z", 120, "exit"]]);
  });

  it("puts out-of-order and late events in the session they belong to", async () => {
    const entry = world.badge("ana", "redu", "2026-11-23T09:00+01:00");
    const exit = world.badge("ana", "redu", "2026-11-23T12:00+01:00", out);
    const nextDay = world.badge("ana", "redu", "2026-11-24T09:00+01:00");
    // The exit and the next day arrive before the entry.
    await world.deliver(exit, nextDay);
    expect(await world.summary("ana")).toEqual([
      ["redu", "2026-11-24T08:00:00.000Z", 540, "closing-time"],
    ]);
    await world.deliver(entry);
    expect(await world.summary("ana")).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 180, "exit"], // 09:00 → 12:00
      ["redu", "2026-11-24T08:00:00.000Z", 540, "closing-time"],
    ]);
    // A late re-entry inside the session changes nothing; a late badge-in elsewhere splits it.
    await world.deliver(world.badge("ana", "redu", "2026-11-23T10:00+01:00"));
    expect((await world.sessions("ana")).length).toBe(2);
    await world.deliver(world.badge("ana", "ciney", "2026-11-23T11:00+01:00"));
    expect(await world.summary("ana")).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 120, "other-centre"], // 09:00 → 11:00
      ["ciney", "2026-11-23T10:00:00.000Z", 420, "closing-time"], // 11:00 → 18:00
      ["redu", "2026-11-24T08:00:00.000Z", 540, "closing-time"],
    ]);
  });

  it("merges batches that arrive while a rebuild runs into the next rebuild", async () => {
    const batches = [
      [world.badge("ana", "redu", "2026-11-23T09:00+01:00")],
      [world.badge("ana", "redu", "2026-11-23T10:00+01:00", out)],
      [world.badge("bob", "redu", "2026-11-23T11:00+01:00")],
    ].map((events) => ({ gatewayId: "redu-gw", centreId: "redu", events }));
    for (const batch of batches) await world.sink.storeBatch([batch]);
    for (const batch of batches) world.updater.onCommitted(batch); // no await between
    await world.updater.idle();
    expect(await world.summary()).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 60, "exit"],
      ["redu", "2026-11-23T10:00:00.000Z", 420, "closing-time"],
    ]);
  });

  it("catches up after a failed rebuild: no later batch skips the events it missed", async () => {
    await sql`alter table sessions rename to sessions_away`.execute(store.db);
    await world.deliver(world.badge("ana", "redu", "2026-11-23T09:00+01:00")); // rebuild fails
    await sql`alter table sessions_away rename to sessions`.execute(store.db);
    await world.deliver(world.badge("bob", "redu", "2026-11-23T10:00+01:00"));
    await world.updater.idle();
    expect((await world.sessions()).map((s) => s.member_id)).toEqual(["ana", "bob"]);
  });

  it("opens nothing on a denied entry, and rebuilds the same sessions when nothing changed", async () => {
    await world.deliver(
      world.badge("ana", "redu", "2026-11-23T09:00+01:00", { decision: "denied" }),
      world.badge("ana", "redu", "2026-11-23T09:05+01:00"),
      world.badge("ana", "redu", "2026-11-23T10:00+01:00", out),
    );
    const before = await world.sessions("ana");
    await world.updater.catchUp();
    await store.db
      .deleteFrom("settings")
      .where("key", "=", "hours.sessions_received_up_to")
      .execute();
    await world.updater.catchUp();
    expect(await world.sessions("ana")).toEqual(before);
    expect(before.map((s) => s.billable_minutes)).toEqual([60]); // 55 min → 60
  });
});
