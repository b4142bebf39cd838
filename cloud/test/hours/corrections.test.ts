import { beforeEach, expect, it } from "vitest";
import { correctSession } from "../../src/hours/corrections.js";
import { closeMonth } from "../../src/hours/monthClose.js";
import { hoursReport } from "../../src/hours/monthReports.js";
import type { Store } from "../../src/store/openStore.js";
import { expectDomainError } from "../support/expectDomainError.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { HoursWorld } from "./hoursWorld.js";

const engines = await provideEngines();
const out = { direction: "out" } as const;

// redu: every day 08:00–18:00, default 24 h edit window. ann's session on Monday 23 November
// 2026 runs 09:00–11:37 CET (165 min billable) and ends at 10:37Z: the window ends 24 h later.
describeOnEngines(engines, "session corrections", (harness) => {
  let store: Store;
  let world: HoursWorld;
  let sessionId: string;

  beforeEach(async () => {
    store = await harness.freshStore();
    world = await HoursWorld.create(store, "2026-11-23T12:00:00Z");
    await world.centre("redu");
    const entry = world.badge("ann", "redu", "2026-11-23T09:00+01:00");
    sessionId = entry.id;
    await world.deliver(entry, world.badge("ann", "redu", "2026-11-23T11:37+01:00", out));
  });

  const billable = async () =>
    (
      await store.db
        .selectFrom("sessions")
        .select("billable_minutes")
        .where("id", "=", sessionId)
        .executeTakeFirstOrThrow()
    ).billable_minutes;

  it("appends a manager's correction within the window, audited, and keeps it through rebuilds", async () => {
    world.deps.clock.set("2026-11-24T10:30:00Z"); // 23 h 53 min after the end
    const outcome = await correctSession(world.deps, "user:manager", "manager", sessionId, {
      minutes: 150,
      reason: "left at 11:30, badged out late",
    });
    expect(outcome).toMatchObject({ sessionId, previousMinutes: 165, minutes: 150 });
    expect(await billable()).toBe(150);
    // The monthly report (read from the per-member totals) follows the correction.
    expect((await hoursReport(world.deps, "2026-11", {})).lines[0]?.minutes).toBe(150);
    expect(world.deps.audits.at(-1)).toMatchObject({
      actor: "user:manager",
      action: "session.correct",
      subject: `session:${sessionId}`,
      centre: "redu",
      detail: { previousMinutes: 165, minutes: 150, reason: "left at 11:30, badged out late" },
    });
    // A late event for the same member rebuilds the session: the correction still counts.
    await world.deliver(world.badge("ann", "redu", "2026-11-23T10:00+01:00"));
    expect(await billable()).toBe(150);
    // Corrected start and end are rounded like any session: 09:00–11:10 is 130 → 135 min.
    await correctSession(world.deps, "user:manager", "manager", sessionId, {
      start: Date.parse("2026-11-23T09:00+01:00"),
      end: Date.parse("2026-11-23T11:10+01:00"),
      reason: "door log shows 11:10",
    });
    expect(await billable()).toBe(135);
    const adjustments = await store.db
      .selectFrom("session_adjustments")
      .selectAll()
      .orderBy("created_at")
      .execute();
    expect(adjustments.map((a) => [a.kind, a.minutes, a.actor])).toEqual([
      ["correction", 150, "user:manager"],
      ["correction", 135, "user:manager"],
    ]);
  });

  it("refuses a manager outside the window with the reason, but not a coordinator", async () => {
    world.deps.clock.set("2026-11-24T10:38:00Z"); // 24 h 1 min after the end
    const refused = await expectDomainError(
      correctSession(world.deps, "user:manager", "manager", sessionId, {
        minutes: 60,
        reason: "late",
      }),
      "forbidden",
    );
    expect(refused.message).toContain("edit window");
    expect(await billable()).toBe(165);
    await correctSession(world.deps, "user:coord", "coordinator", sessionId, {
      minutes: 60,
      reason: "agreed",
    });
    expect(await billable()).toBe(60);
  });

  it("refuses bad figures naming the field, and any correction in a closed month", async () => {
    const fix = (input: Parameters<typeof correctSession>[4]) =>
      correctSession(world.deps, "user:manager", "manager", sessionId, input);
    expect((await expectDomainError(fix({ minutes: -5, reason: "x" }), "invalid")).field).toBe(
      "minutes",
    );
    expect((await expectDomainError(fix({ start: 2, end: 1, reason: "x" }), "invalid")).field).toBe(
      "end",
    );
    expect((await expectDomainError(fix({ minutes: 5, reason: "" }), "invalid")).field).toBe(
      "reason",
    );
    await expectDomainError(
      correctSession(world.deps, "user:manager", "manager", "nope", { minutes: 5, reason: "x" }),
      "not-found",
    );
    world.deps.clock.set("2026-12-01T09:00:00Z");
    await closeMonth(world.deps, "user:coord", "2026-11");
    const refused = await expectDomainError(
      correctSession(world.deps, "user:coord", "coordinator", sessionId, {
        minutes: 5,
        reason: "x",
      }),
      "conflict",
    );
    expect(refused.message).toContain("closed");
  });
});
