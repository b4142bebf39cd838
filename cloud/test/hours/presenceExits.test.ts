import { beforeEach, expect, it } from "vitest";
import { StoreAccessRules } from "../../src/adapters/storeAccessRules.js";
import { compileCentreBundle } from "../../src/bundles/compileCentreBundle.js";
import { createDoor, listDoors, updateDoor } from "../../src/domain/doors.js";
import type { Store } from "../../src/store/openStore.js";
import { expectDomainError } from "../support/expectDomainError.js";
import { admin } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;

// Exits as centres have them (docs/hours.md "What counts as an exit"). An exit-reader door
// gives an exit badge (an access event, direction out); an exit-button or free-egress door gives
// the gateway's anonymous `door.exit`. Monday 23 November 2026, Brussels (+01:00); redu is open
// 08:00–18:00 with the closing-time rule, so only exits end these sessions before 18:00.
// Minutes are rounded up to 15 (the default).
describeOnEngines(engines, "exits and the last-out rule", (harness) => {
  let store: Store;
  let world: HoursWorld;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store);
    await world.centre("redu");
  });

  it("stores each door's exit kind, exit-button by default, and compiles it into the bundle", async () => {
    const deps = world.deps;
    await createDoor(deps, admin, {
      id: "redu-reader",
      centreId: "redu",
      name: "Front",
      direction: "both",
      exitKind: "exit-reader",
    });
    await createDoor(deps, admin, {
      id: "redu-button",
      centreId: "redu",
      name: "Side",
      direction: "in",
    });
    await createDoor(deps, admin, {
      id: "redu-lever",
      centreId: "redu",
      name: "Garden",
      direction: "in",
      exitKind: "free-egress",
    });
    expect((await listDoors(deps, { centreId: "redu" })).map((d) => [d.id, d.exitKind])).toEqual([
      ["redu-button", "exit-button"],
      ["redu-lever", "free-egress"],
      ["redu-reader", "exit-reader"],
    ]);
    expect(
      (await updateDoor(deps, admin, "redu-button", { exitKind: "exit-reader" })).exitKind,
    ).toBe("exit-reader");
    await expectDomainError(
      updateDoor(deps, admin, "redu-lever", { exitKind: "window" as "exit-reader" }),
      "invalid",
      "exitKind",
    );
    const input = await new StoreAccessRules(store).loadCentre("redu", deps.clock.now());
    if (input === null) throw new Error("redu has no access input");
    const bundle = compileCentreBundle(input, 1, deps.clock.now());
    expect(bundle.doors.map((d) => [d.id, d.exitKind])).toEqual([
      ["redu-button", "exit-reader"],
      ["redu-lever", "free-egress"],
      ["redu-reader", "exit-reader"],
    ]);
  });

  it("exit reader: the exit badge ends its own session, and at headcount 0 the others (last out)", async () => {
    const annIn = world.badge("ann", "redu", "2026-11-23T09:00+01:00");
    const bobIn = world.badge("bob", "redu", "2026-11-23T09:10+01:00");
    const carlIn = world.badge("carl", "redu", "2026-11-23T09:20+01:00");
    const carlOut = world.badge("carl", "redu", "2026-11-23T09:50+01:00", out); // headcount 2
    const anonymous = world.exit("redu", "2026-11-23T10:00+01:00"); // someone left: 1
    const bobOut = world.badge("bob", "redu", "2026-11-23T10:30+01:00", out); // 0: all left
    await world.deliver(annIn, bobIn, carlIn, carlOut, anonymous, bobOut);
    const sessions = await world.sessions();
    expect(
      sessions.map((s) => [s.member_id, s.close_reason, s.billable_minutes, s.confirmed]),
    ).toEqual([
      ["ann", "last-out", 90, 1], // 09:00–10:30
      ["bob", "exit", 90, 1], // 09:10–10:30: 80 → 90
      ["carl", "exit", 30, 1], // 09:20–09:50
    ]);
    expect(sessions.find((s) => s.member_id === "ann")?.close_event_id).toBe(bobOut.id);
  });

  it("exit button: two anonymous exits for two people close both sessions at the second", async () => {
    const second = world.exit("redu", "2026-11-23T12:10+01:00", "redu-button");
    await world.deliver(
      world.badge("ann", "redu", "2026-11-23T09:00+01:00"),
      world.badge("bob", "redu", "2026-11-23T09:30+01:00"),
      world.exit("redu", "2026-11-23T10:00+01:00", "redu-button"), // one of them left: 1
      second, // the other: 0
    );
    // Who left at 10:00 nobody knows: both are present until the count says the centre is empty.
    const sessions = await world.sessions();
    expect(sessions.map((s) => [s.member_id, s.close_reason, s.billable_minutes])).toEqual([
      ["ann", "last-out", 195], // 09:00–12:10: 190 → 195
      ["bob", "last-out", 165], // 09:30–12:10: 160 → 165
    ]);
    expect(sessions.map((s) => s.close_event_id)).toEqual([second.id, second.id]);
  });

  it("free egress: a lunch out and back is two sessions, each ended by the door cycle", async () => {
    await world.deliver(
      world.badge("ann", "redu", "2026-11-23T09:00+01:00"),
      world.exit("redu", "2026-11-23T12:15+01:00", "redu-lever"),
      world.badge("ann", "redu", "2026-11-23T13:00+01:00"),
      world.exit("redu", "2026-11-23T17:05+01:00", "redu-lever"),
    );
    // 09:00–12:15 = 195 min; 13:00–17:05 = 245 → 255. Not 17 h, not up to closing time.
    expect(await world.summary("ann")).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 195, "last-out"],
      ["redu", "2026-11-23T12:00:00.000Z", 255, "last-out"],
    ]);
  });

  it("an anonymous exit delivered late still ends the sessions it emptied", async () => {
    await world.deliver(
      world.badge("ann", "redu", "2026-11-23T09:00+01:00"),
      world.badge("ann", "redu", "2026-11-23T14:00+01:00"), // back in (a refresh: headcount 2)
    );
    // With the closing-time rule one session runs to 18:00 until the exits come in.
    expect(await world.summary("ann")).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 540, "closing-time"],
    ]);
    await world.deliver(
      world.exit("redu", "2026-11-23T12:00+01:00"),
      world.exit("redu", "2026-11-23T15:30+01:00"),
    );
    // In time order: 09:00 in (headcount 1), 12:00 out (0: ann left, last out), 14:00 in again
    // (a new session), 15:30 out (0): 180 min, then 90.
    expect(await world.summary("ann")).toEqual([
      ["redu", "2026-11-23T08:00:00.000Z", 180, "last-out"],
      ["redu", "2026-11-23T13:00:00.000Z", 90, "last-out"],
    ]);
  });

  it("bad input: an exit at headcount 0 and an exit badge of someone not inside, each a rule and a log line", async () => {
    const atZero = world.exit("redu", "2026-11-23T08:30+01:00"); // nobody in: stays 0
    const annIn = world.badge("ann", "redu", "2026-11-23T09:00+01:00"); // 1
    const bobOut = world.badge("bob", "redu", "2026-11-23T09:30+01:00", out); // bob not inside: 1
    const last = world.exit("redu", "2026-11-23T11:00+01:00"); // 0: ann left
    await world.deliver(atZero, annIn, bobOut, last);
    // 09:00–11:00 = 120 min. Had the first exit sent the count to −1, ann's entry would have
    // left it at 0 and she would run to 18:00 (540); had bob's badge counted, she would end at
    // 09:30 (30).
    expect(await world.summary()).toEqual([["redu", "2026-11-23T08:00:00.000Z", 120, "last-out"]]);
    const ruleLines = () =>
      world.logs
        .filter((line) => line.rule !== undefined)
        .map((line) => [line.rule, line.event, line.member, line.level]);
    expect(ruleLines()).toEqual([
      ["exit-at-zero", atZero.id, undefined, 40],
      ["exit-not-inside", bobOut.id, "bob", 40],
    ]);
    // A later batch replays those events again: their lines are not written twice.
    await world.deliver(
      world.badge("dan", "redu", "2026-11-23T10:00+01:00", { decision: "denied" }),
    );
    expect(await world.summary()).toEqual([["redu", "2026-11-23T08:00:00.000Z", 120, "last-out"]]);
    expect(ruleLines()).toHaveLength(2);
  });
});
