import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "../../support/httpFixture.js";
import {
  type BookingsWorld,
  body,
  iso,
  saturdayAt,
  startBookingsWorld,
  weekdayAt,
} from "./bookingsFixture.js";

describe("booking routes (the wired cloud, over HTTP)", () => {
  let world: BookingsWorld;
  beforeAll(async () => {
    world = await startBookingsWorld();
  });
  afterAll(() => world?.stop());

  const book = (token: string, resourceId: string, start: string, end: string, memberId?: string) =>
    world.call("POST", "/bookings", {
      token,
      body: { resourceId, start, end, ...(memberId === undefined ? {} : { memberId }) },
    });
  const fields = async (response: ApiResponse) =>
    ((await body(response)).errors as { field: string }[]).map((e) => e.field);

  it("documents every reservation route in the OpenAPI document", async () => {
    const response = await fetch(`${world.cloud.httpUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const paths = Object.keys(((await response.json()) as { paths: object }).paths);
    for (const path of [
      "/api/v1/availability",
      "/api/v1/bookings",
      "/api/v1/bookings/{bookingId}",
      "/api/v1/bookings/recurring",
      "/api/v1/bookings/series/{seriesId}",
      "/api/v1/me/bookings",
      "/api/v1/me/calendar-link",
      "/api/v1/calendar/{feedToken}.ics",
      "/api/v1/resources/{resourceId}/calendar.ics",
    ]) {
      expect(paths, path).toContain(path);
    }
  });

  it("books a desk for oneself and shows it to its member, its centre's manager and a coordinator only", async () => {
    const { tokens, members } = world;
    const response = await book(tokens.ann, "redu-desk-1", iso(weekdayAt(9)), iso(weekdayAt(11)));
    expect(response.status).toBe(201);
    const booking = await body(response);
    expect(booking).toMatchObject({
      resourceId: "redu-desk-1",
      centreId: "redu",
      memberId: members.ann,
      status: "confirmed",
      start: weekdayAt(9).toUTC().toISO(),
    });
    const seenBy = async (token: string) =>
      (await world.call("GET", `/bookings/${booking.id}`, { token })).status;
    expect(await seenBy(tokens.ann)).toBe(200);
    expect(await seenBy(tokens.marc)).toBe(200);
    expect(await seenBy(tokens.cora)).toBe(200);
    expect(await seenBy(tokens.bob)).toBe(404);
    expect(await seenBy(tokens.lea)).toBe(404);
    expect((await world.call("GET", `/bookings/${booking.id}`)).status).toBe(401);
  });

  it("never sells a desk twice: an overlapping booking is a 409 naming resourceId", async () => {
    const { tokens } = world;
    expect(
      (await book(tokens.ann, "redu-desk-2", iso(weekdayAt(13)), iso(weekdayAt(15)))).status,
    ).toBe(201);
    const second = await book(tokens.bob, "redu-desk-2", iso(weekdayAt(14)), iso(weekdayAt(16)));
    expect(second.status).toBe(409);
    expect(second.headers.get("content-type")).toContain("application/problem+json");
    expect(await fields(second)).toEqual(["resourceId"]);
  });

  it("refuses bad times with 400 naming the field", async () => {
    const { tokens } = world;
    const start = weekdayAt(9, 0, 3);
    const cases: [string, string, string][] = [
      // no zone offset: an instant nobody can place
      [start.toFormat("yyyy-MM-dd'T'HH:mm:ss"), iso(start.plus({ hours: 1 })), "body/start"],
      [iso(start), start.plus({ hours: 1 }).toFormat("yyyy-MM-dd'T'HH:mm"), "body/end"],
      ["tomorrow at nine", iso(start), "body/start"],
      ["2026-02-30T09:00:00Z", "2026-02-30T10:00:00Z", "body/start"],
      // end before start
      [iso(start.plus({ hours: 2 })), iso(start), "body/end"],
      // in the past
      [iso(start.minus({ days: 10 })), iso(start.minus({ days: 10 }).plus({ hours: 1 })), "start"],
      // outside opening hours (Redu is closed at weekends, and before 08:00)
      [iso(saturdayAt(10)), iso(saturdayAt(12)), "start"],
      [iso(start.set({ hour: 6 })), iso(start.set({ hour: 9 })), "start"],
      // longer than a booking may last
      [iso(start), iso(start.plus({ days: 40 })), "end"],
    ];
    for (const [from, to, field] of cases) {
      const response = await book(tokens.ann, "redu-desk-1", from, to);
      expect(response.status, `${from} → ${to}`).toBe(400);
      expect(await fields(response), `${from} → ${to}`).toEqual([field]);
    }
  });

  it("refuses malformed bodies and unknown resources", async () => {
    const { tokens } = world;
    const start = iso(weekdayAt(9, 0, 4));
    const end = iso(weekdayAt(10, 0, 4));
    const missing = await world.call("POST", "/bookings", {
      token: tokens.ann,
      body: { start, end },
    });
    expect(missing.status).toBe(400);
    expect(await fields(missing)).toEqual(["body/resourceId"]);
    const extra = await world.call("POST", "/bookings", {
      token: tokens.ann,
      body: { resourceId: "redu-desk-1", start, end, price: 0 },
    });
    expect(extra.status).toBe(400);
    expect(await fields(extra)).toEqual(["body/price"]);
    const unknown = await book(tokens.ann, "nowhere-desk", start, end);
    expect(unknown.status).toBe(404);
    expect(await fields(unknown)).toEqual(["resourceId"]);
  });

  it("answers 409 naming memberId when the member holds no pass for the slot", async () => {
    const response = await book(
      world.tokens.zoe,
      "redu-desk-1",
      iso(weekdayAt(9, 0, 5)),
      iso(weekdayAt(10, 0, 5)),
    );
    expect(response.status).toBe(409);
    expect(await fields(response)).toEqual(["body/memberId"]);
  });

  it("lets staff book for members of their centres, at the centres they manage; workers only for themselves", async () => {
    const { tokens, members } = world;
    const start = iso(weekdayAt(9, 0, 6));
    const end = iso(weekdayAt(10, 0, 6));
    // Ann's home centre is redu: her manager may book for her there.
    const byManager = await book(tokens.marc, "redu-room-a", start, end, members.ann);
    expect(byManager.status).toBe(201);
    expect((await body(byManager)).memberId).toBe(members.ann);
    // ... but not at a centre he does not manage.
    expect((await book(tokens.marc, "ciney-desk-1", start, end, members.ann)).status).toBe(403);
    // Bob belongs to ciney: to redu's manager he does not exist (his network pass does not
    // make him a member of every centre), the very 404 of an unknown member.
    const notHis = await book(tokens.marc, "redu-desk-2", start, end, members.bob);
    expect(notHis.status).toBe(404);
    expect(await fields(notHis)).toEqual(["memberId"]);
    expect((await book(tokens.marc, "redu-desk-2", start, end, "no-such-member")).status).toBe(404);
    // Lea manages ciney, Bob's centre, but the desk is redu's.
    expect((await book(tokens.lea, "redu-desk-2", start, end, members.bob)).status).toBe(403);
    expect((await book(tokens.ann, "redu-desk-2", start, end, members.bob)).status).toBe(403);
    const byCoordinator = await book(tokens.cora, "ciney-desk-1", start, end, members.bob);
    expect(byCoordinator.status).toBe(201);
    // Staff without a member of their own must say for whom.
    const noMember = await book(tokens.marc, "redu-desk-2", start, end);
    expect(noMember.status).toBe(400);
    expect(await fields(noMember)).toEqual(["body/memberId"]);
  });

  it("lists bookings by role: a worker their own, a manager their centres', a coordinator all", async () => {
    const { tokens, members } = world;
    const list = async (token: string, query = "") => {
      const response = await world.call("GET", `/bookings${query}`, { token });
      expect(response.status).toBe(200);
      return (await body(response)).items as { memberId: string; centreId: string }[];
    };
    const ann = await list(tokens.ann);
    expect(ann.length).toBeGreaterThan(0);
    expect(ann.every((b) => b.memberId === members.ann)).toBe(true);
    const marc = await list(tokens.marc);
    expect(new Set(marc.map((b) => b.centreId))).toEqual(new Set(["redu"]));
    const cora = await list(tokens.cora);
    expect(new Set(cora.map((b) => b.centreId))).toEqual(new Set(["redu", "ciney"]));
    expect((await list(tokens.cora, "?centreId=ciney")).every((b) => b.centreId === "ciney")).toBe(
      true,
    );
    expect(await list(tokens.cora, `?memberId=${members.bob}`)).not.toHaveLength(0);
    // A manager asking about another centre learns nothing of it; a worker cannot look at others.
    expect(
      (await world.call("GET", "/bookings?centreId=ciney", { token: tokens.marc })).status,
    ).toBe(404);
    expect(
      (await world.call("GET", `/bookings?memberId=${members.bob}`, { token: tokens.ann })).status,
    ).toBe(403);
    // /me/bookings: the worker's own, even when they could see more.
    const mine = await world.call("GET", "/me/bookings", { token: tokens.ann });
    expect(
      ((await body(mine)).items as { memberId: string }[]).every((b) => b.memberId === members.ann),
    ).toBe(true);
    expect((await world.call("GET", "/me/bookings", { token: tokens.marc })).status).toBe(403);
  });

  it("pages through a list with an opaque cursor, by start time, without repeats or gaps", async () => {
    const { tokens } = world;
    const all = (await body(await world.call("GET", "/bookings?limit=500", { token: tokens.cora })))
      .items as {
      id: string;
      start: string;
    }[];
    const starts = all.map((b) => b.start);
    expect([...starts].sort()).toEqual(starts);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await body(await world.call("GET", `/bookings${query}`, { token: tokens.cora }));
      seen.push(...(page.items as { id: string }[]).map((b) => b.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.map((b) => b.id));
  });

  it("refuses bad list queries with 400 naming the field", async () => {
    const { tokens } = world;
    const cases: [string, string][] = [
      ["?from=2026-03-03T09:00", "querystring/from"],
      ["?from=2026-03-03T09:00Z&to=2026-03-02T09:00Z", "querystring/to"],
      ["?cursor=not-a-cursor", "querystring/cursor"],
      ["?limit=501", "querystring/limit"],
      ["?status=lost", "querystring/status"],
    ];
    for (const [query, field] of cases) {
      const response = await world.call("GET", `/bookings${query}`, { token: tokens.cora });
      expect(response.status, query).toBe(400);
      expect(await fields(response), query).toContain(field);
    }
  });

  it("cancels: the member or their centre's staff; others get 404; twice is a 409", async () => {
    const { tokens } = world;
    const created = await body(
      await book(tokens.ann, "redu-desk-1", iso(weekdayAt(14, 0, 7)), iso(weekdayAt(16, 0, 7))),
    );
    const cancel = (token: string, id = created.id) =>
      world.call("DELETE", `/bookings/${id}`, { token });
    expect((await cancel(tokens.bob)).status).toBe(404);
    expect((await cancel(tokens.lea)).status).toBe(404);
    const done = await cancel(tokens.ann);
    expect(done.status).toBe(200);
    expect(await body(done)).toMatchObject({
      status: "cancelled",
      cancelReason: "cancelled by the member",
    });
    expect((await cancel(tokens.ann)).status).toBe(409);
    // The slot is free again at once.
    expect(
      (await book(tokens.bob, "redu-desk-1", iso(weekdayAt(14, 0, 7)), iso(weekdayAt(15, 0, 7))))
        .status,
    ).toBe(201);

    const other = await body(
      await book(tokens.ann, "redu-desk-2", iso(weekdayAt(16, 0, 7)), iso(weekdayAt(17, 0, 7))),
    );
    const byManager = await world.call("DELETE", `/bookings/${other.id}?reason=desk%20broken`, {
      token: tokens.marc,
    });
    expect(await body(byManager)).toMatchObject({
      status: "cancelled",
      cancelReason: "desk broken",
    });
    expect((await cancel(tokens.cora, "0193ffff-0000-7000-8000-000000000000")).status).toBe(404);
  });
});
