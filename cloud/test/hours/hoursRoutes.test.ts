import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { updateCentre } from "../../src/domain/centres.js";
import { admin, type RecordingDeps, TestClock } from "../support/fixtures.js";
import { startTestCloud, type TestCloud } from "../support/httpFixture.js";
import { HoursWorld } from "./hoursWorld.js";

const out = { direction: "out" } as const;

// The fixture's centres redu and ciney are open on weekdays 08:00–18:00 (Brussels) and paid
// 450 cents an hour. ann (worker) holds a network pass, bob (otherWorker) ciney's membership.
// November 2026 is over by the time these tests run (the cloud uses the system clock).
describe("hours routes", () => {
  let test: TestCloud;
  let world: HoursWorld;
  let ann: string;
  let bob: string;
  let annAtRedu: string;

  beforeAll(async () => {
    test = await startTestCloud({ logLevel: "warn" });
    ann = test.ids.workerMemberId;
    bob = test.ids.otherWorkerMemberId;
    const deps = { ...test.deps, clock: new TestClock(Date.now()) } as unknown as RecordingDeps;
    world = new HoursWorld(test.cloud.store, deps);
    // The figures below were computed for the closing-time rule (the default, last-seen, has
    // its own tests in presencePolicies.test.ts).
    for (const centreId of ["redu", "ciney"]) {
      await updateCentre(test.deps, admin, centreId, {
        settings: { noExitPolicy: { kind: "closing-time" } },
      });
    }
    const entry = world.badge(ann, "redu", "2026-11-23T09:00+01:00");
    annAtRedu = entry.id;
    await world.deliver(
      entry,
      world.badge(ann, "redu", "2026-11-23T11:37+01:00", out), // 165 min
      world.badge(ann, "ciney", "2026-11-24T14:00+01:00"), // to 18:00 closing: 240 min
      world.badge(bob, "ciney", "2026-11-23T09:00+01:00"),
      world.badge(bob, "ciney", "2026-11-23T10:00+01:00", out), // 60 min
    );
  });
  afterAll(() => test.stop());

  const get = (path: string, role: keyof TestCloud["tokens"]) =>
    test.call("GET", path, { token: test.tokens[role] });

  it("gives a manager their centre's hours, a coordinator all, and 404 for another centre", async () => {
    const manager = await get("/reports/hours?month=2026-11", "manager");
    expect(manager.status).toBe(200);
    expect(manager.body).toMatchObject({ month: "2026-11", status: "open", provisional: false });
    expect(manager.body.lines).toEqual([
      {
        centreId: "redu",
        memberId: ann,
        sessionCount: 1,
        sessionMinutes: 165,
        lateMinutes: 0,
        minutes: 165,
      },
    ]);
    const all = await get("/reports/hours?month=2026-11&by=day", "coordinator");
    expect(all.body.lines.map((l: { minutes: number }) => l.minutes).sort()).toEqual(
      [165, 240, 60].sort(),
    );
    expect(all.body.days).toHaveLength(3);
    expect((await get("/reports/hours?month=2026-11&centreId=redu", "otherManager")).status).toBe(
      404,
    );
    expect((await get("/reports/hours?month=2026-11", "worker")).status).toBe(403);
    const bad = await get("/reports/hours?month=2026-13", "coordinator");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("querystring/month");
  });

  it("shows a worker only their own hours and sessions", async () => {
    const mine = await get("/me/hours?month=2026-11", "worker");
    expect(mine.status).toBe(200);
    expect(
      mine.body.lines.map((l: { centreId: string; minutes: number }) => [l.centreId, l.minutes]),
    ).toEqual([
      ["ciney", 240],
      ["redu", 165],
    ]);
    const sessions = await get("/sessions", "worker");
    expect(sessions.body.items.map((s: { memberId: string }) => s.memberId)).toEqual([ann, ann]);
    const staff = await get("/sessions?centreId=ciney", "otherManager");
    expect(staff.body.items).toHaveLength(2);
    expect(staff.body.items[1]).toMatchObject({
      closeReason: "exit",
      billableMinutes: 60,
      memberId: bob,
    });
  });

  it("settles network members' hours in cents, as JSON and CSV", async () => {
    const settlement = await get(
      "/reports/settlement?month=2026-11&detail=sessions",
      "coordinator",
    );
    // redu: 165 min × 450/h = 1237.5 → 1238; ciney: ann 240 min = 1800 (bob's pass is ciney's).
    expect(settlement.body.totalCents).toBe(3038);
    expect(
      settlement.body.lines.map((c: { centreId: string; amountCents: number }) => [
        c.centreId,
        c.amountCents,
      ]),
    ).toEqual([
      ["ciney", 1800],
      ["redu", 1238],
    ]);
    expect(settlement.body.lines[1].members[0].sessionIds).toEqual([annAtRedu]);
    const csv = await get("/reports/settlement.csv?month=2026-11", "manager");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split("\r\n")).toEqual([
      "month,status,centre_id,member_id,sessions,minutes,hourly_rate_cents,amount_cents,session_ids,rounding",
      `2026-11,open,redu,${ann},1,165,450,1238,${annAtRedu},session-up/15`,
      "",
    ]);
  });

  it("refuses a correction on another centre's session (404) or outside the window, not a coordinator's", async () => {
    const body = { minutes: 150, reason: "left at 11:30" };
    const path = `/sessions/${annAtRedu}/adjustments`;
    expect((await test.call("POST", path, { token: test.tokens.otherManager, body })).status).toBe(
      404,
    );
    const late = await test.call("POST", path, { token: test.tokens.manager, body });
    expect(late.status).toBe(403);
    expect(late.body.detail).toContain("edit window");
    const noReason = await test.call("POST", path, {
      token: test.tokens.coordinator,
      body: { minutes: 5 },
    });
    expect(noReason.status).toBe(400);
    const done = await test.call("POST", path, { token: test.tokens.coordinator, body });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ previousMinutes: 165, minutes: 150 });
  });

  it("answers network figures and booked-vs-used", async () => {
    const network = await get(
      "/reports/network?from=2026-11-23T00:00:00%2B01:00&to=2026-11-24T00:00:00%2B01:00&centreId=redu",
      "coordinator",
    );
    expect(network.status).toBe(200);
    // 08:00–18:00 × 40 seats = 24 000 seat-minutes; ann was in 157 real minutes.
    expect(network.body.centres).toEqual([
      {
        centreId: "redu",
        openDays: 1,
        averageDailyUsers: 1,
        peakDailyUsers: 1,
        peakDay: "2026-11-23",
        closedDayUsers: 0,
        occupancyRate: 0.0065,
        occupiedSeatMinutes: 157,
        capacitySeatMinutes: 24_000,
        peakOccupancy: 1,
        peakAt: "2026-11-23T08:00:00.000Z",
      },
    ]);
    expect(
      (
        await get(
          "/reports/network?from=2026-11-23T00:00:00&to=2026-11-24T00:00:00Z",
          "coordinator",
        )
      ).status,
    ).toBe(400);
    for (const [query, field] of [
      ["from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "querystring/to"],
      ["from=2026-11-31T00:00:00Z&to=2026-12-02T00:00:00Z", "querystring/from"],
    ]) {
      const refused = await get(`/reports/network?${query}`, "coordinator");
      expect(refused.status, query).toBe(400);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect(
      (await get("/reports/network?from=2026-11-23T00:00:00Z&to=2026-11-24T00:00:00Z", "manager"))
        .status,
    ).toBe(403);
    const booked = await get("/reports/booked-vs-used?month=2026-11", "manager");
    expect(booked.status).toBe(200);
    expect(booked.body.lines).toEqual([
      {
        centreId: "redu",
        bookings: 0,
        bookedMinutes: 0,
        used: 0,
        noShows: 0,
        cancelled: 0,
        presenceMinutes: 150,
      },
    ]);
  });

  it("builds sessions from what the running cloud's ingest commits", async () => {
    // Stored as the ingest stores them, then announced as the ingest announces them: the
    // cloud's own SessionUpdater (wired in startCloud) builds the session.
    const entry = world.badge(bob, "ciney", "2026-11-25T09:00+01:00");
    const batch = { gatewayId: "ciney-gw", centreId: "ciney", events: [entry] };
    await world.sink.storeBatch([batch]);
    test.cloud.services.mqtt.ingest.emit("committed", { ...batch, inserted: 1 });
    await vi.waitFor(async () => {
      const sessions = await get(`/sessions?memberId=${bob}&centreId=ciney`, "otherManager");
      expect(sessions.body.items[0]).toMatchObject({ id: entry.id, closeReason: "closing-time" });
    });
  });

  it("lists a centre's unconfirmed sessions and confirms one in one click", async () => {
    const path = "/centres/ciney/sessions/unconfirmed";
    const list = await get(path, "otherManager");
    expect(list.status).toBe(200);
    const annAtCiney = list.body.items.find((s: { memberId: string }) => s.memberId === ann);
    // 14:00 to the 18:00 closing time: nobody saw her leave.
    expect(annAtCiney).toMatchObject({
      closeReason: "closing-time",
      ruleCloseReason: "closing-time",
      confirmed: false,
      editableUntil: "2026-11-25T17:00:00.000Z", // a day after its end
    });
    expect((await get(path, "manager")).status).toBe(404);
    expect((await get(path, "worker")).status).toBe(403);
    const confirm = (role: keyof TestCloud["tokens"]) =>
      test.call("POST", `/sessions/${annAtCiney.id}/confirmation`, {
        token: test.tokens[role],
        body: {},
      });
    // Its manager's window closed on 25 November; the coordinator may still.
    expect((await confirm("otherManager")).status).toBe(403);
    const confirmed = await confirm("coordinator");
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ sessionId: annAtCiney.id, confirmed: true });
    expect((await confirm("coordinator")).status).toBe(409);
    const after = await get(path, "otherManager");
    expect(after.body.items.map((s: { id: string }) => s.id)).not.toContain(annAtCiney.id);
    const sessions = await get(`/sessions?centreId=ciney&memberId=${ann}`, "coordinator");
    expect(sessions.body.items[0]).toMatchObject({ confirmed: true, closeReason: "closing-time" });
  });

  it("closes a month once (coordinator): the report's bytes never change, late events go to December", async () => {
    expect(
      (await test.call("POST", "/months/2026-11/close", { token: test.tokens.manager })).status,
    ).toBe(403);
    const closed = await test.call("POST", "/months/2026-11/close", {
      token: test.tokens.coordinator,
    });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ month: "2026-11", status: "closed", closed: true });
    expect(closed.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const before = await get("/reports/hours?month=2026-11&by=day", "coordinator");
    const csvBefore = await get("/reports/settlement.csv?month=2026-11", "coordinator");
    await world.deliver(
      world.badge(ann, "redu", "2026-11-26T09:00+01:00"),
      world.badge(ann, "redu", "2026-11-26T10:00+01:00", out),
    );
    const after = await get("/reports/hours?month=2026-11&by=day", "coordinator");
    expect(after.text).toBe(before.text);
    expect((await get("/reports/settlement.csv?month=2026-11", "coordinator")).text).toBe(
      csvBefore.text,
    );
    const month = await get("/months/2026-11", "coordinator");
    expect(month.body.statement).toBe(closed.body.statement);
    const december = await get(`/reports/hours?month=2026-12&memberId=${ann}`, "coordinator");
    expect(december.body.lines).toEqual([
      {
        centreId: "redu",
        memberId: ann,
        sessionCount: 0,
        sessionMinutes: 0,
        lateMinutes: 60,
        minutes: 60,
      },
    ]);
    expect(
      (await test.call("POST", "/months/2026-11/close", { token: test.tokens.coordinator })).status,
    ).toBe(409);
    const refused = await test.call("POST", `/sessions/${annAtRedu}/adjustments`, {
      token: test.tokens.coordinator,
      body: { minutes: 10, reason: "too late" },
    });
    expect(refused.status).toBe(409);
  });
});
