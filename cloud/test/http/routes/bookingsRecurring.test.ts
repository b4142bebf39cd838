import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingsWorld, body, iso, startBookingsWorld, weekdayAt } from "./bookingsFixture.js";

describe("recurring booking routes (the wired cloud, over HTTP)", () => {
  let world: BookingsWorld;
  beforeAll(async () => {
    world = await startBookingsWorld();
  });
  afterAll(() => world?.stop());

  const first = () => weekdayAt(9, 0, 2);
  const series = (token: string, extra: Record<string, unknown>) =>
    world.call("POST", "/bookings/recurring", {
      token,
      body: {
        resourceId: "redu-room-a",
        start: iso(first()),
        end: iso(first().plus({ hours: 2 })),
        rrule: "FREQ=WEEKLY;COUNT=4",
        mode: "skip-conflicts",
        ...extra,
      },
    });

  it("skip-conflicts books the free occurrences and reports the taken one; the series cancels as one", async () => {
    const { tokens, members } = world;
    // Bob holds the room on the third week.
    const third = first().plus({ weeks: 2 });
    const blocker = await world.call("POST", "/bookings", {
      token: tokens.bob,
      body: { resourceId: "redu-room-a", start: iso(third), end: iso(third.plus({ hours: 1 })) },
    });
    expect(blocker.status).toBe(201);

    const response = await series(tokens.ann, {});
    expect(response.status).toBe(201);
    const result = await body(response);
    expect(result.created).toHaveLength(3);
    expect(result.skipped).toEqual([
      {
        start: third.toUTC().toISO(),
        end: third.plus({ hours: 2 }).toUTC().toISO(),
        reason: "taken",
      },
    ]);
    for (const booking of result.created) {
      expect(booking).toMatchObject({
        seriesId: result.seriesId,
        memberId: members.ann,
        status: "confirmed",
      });
      // Same local wall-clock time every week, in the centre's zone.
      expect(
        new Date(booking.start).toLocaleTimeString("en-GB", { timeZone: "Europe/Brussels" }),
      ).toBe("09:00:00");
    }

    expect(
      (await world.call("DELETE", `/bookings/series/${result.seriesId}`, { token: tokens.bob }))
        .status,
    ).toBe(404);
    expect(
      (await world.call("DELETE", `/bookings/series/${result.seriesId}`, { token: tokens.lea }))
        .status,
    ).toBe(404);
    const cancelled = await world.call("DELETE", `/bookings/series/${result.seriesId}`, {
      token: tokens.ann,
    });
    expect(cancelled.status).toBe(200);
    expect(await body(cancelled)).toEqual({ seriesId: result.seriesId, cancelled: 3 });
    expect(
      (await world.call("DELETE", "/bookings/series/no-such-series", { token: tokens.cora }))
        .status,
    ).toBe(404);
  });

  it("refuse-all books nothing when one occurrence is taken, and lists it in the 409", async () => {
    const { tokens, members } = world;
    const response = await series(tokens.ann, { resourceId: "redu-desk-1" });
    expect(response.status).toBe(201);
    const bobsTry = await series(tokens.bob, {
      resourceId: "redu-desk-1",
      start: iso(first().plus({ weeks: 3 })),
      end: iso(first().plus({ weeks: 3, hours: 1 })),
      rrule: "FREQ=WEEKLY;COUNT=3",
      mode: "refuse-all",
    });
    expect(bobsTry.status).toBe(409);
    const problem = await body(bobsTry);
    expect(problem.detail).toBe("1 of 3 occurrences cannot be booked");
    expect(problem.errors).toEqual([
      { field: "body/rrule", message: `${first().plus({ weeks: 3 }).toUTC().toISO()}: taken` },
    ]);
    const bobs = await body(
      await world.call("GET", `/bookings?memberId=${members.bob}&resourceId=redu-desk-1`, {
        token: tokens.cora,
      }),
    );
    expect(bobs.items).toHaveLength(0);
  });

  it("refuses bad series with 400 naming the field", async () => {
    const { tokens } = world;
    const cases: [Record<string, unknown>, string][] = [
      [{ rrule: "every tuesday" }, "rrule"],
      [{ rrule: "FREQ=HOURLY;COUNT=3" }, "rrule"],
      [{ rrule: "FREQ=DAILY" }, "rrule"], // unbounded: more than the cap of occurrences
      [{ mode: "best-effort" }, "body/mode"],
      [{ start: first().toFormat("yyyy-MM-dd'T'HH:mm") }, "body/start"],
      [{ start: iso(first().plus({ seconds: 30 })) }, "body/start"],
      [{ end: iso(first().minus({ hours: 1 })) }, "body/end"],
    ];
    for (const [extra, field] of cases) {
      const response = await series(tokens.ann, { resourceId: "redu-desk-2", ...extra });
      expect(response.status, JSON.stringify(extra)).toBe(400);
      const fields = ((await body(response)).errors as { field: string }[]).map((e) => e.field);
      expect(fields, JSON.stringify(extra)).toContain(field);
    }
  });

  it("a series entirely outside opening hours is a 400 listing every occurrence", async () => {
    const early = first().set({ hour: 6 });
    const response = await series(world.tokens.ann, {
      resourceId: "redu-desk-2",
      start: iso(early),
      end: iso(early.plus({ hours: 1 })),
      rrule: "FREQ=WEEKLY;COUNT=2",
    });
    expect(response.status).toBe(400);
    const problem = await body(response);
    expect(problem.errors).toHaveLength(2);
    expect(problem.errors.every((e: { message: string }) => e.message.endsWith(": closed"))).toBe(
      true,
    );
  });

  it("staff book a series for a member of their centre only", async () => {
    const { tokens, members } = world;
    const once = { resourceId: "redu-desk-2", rrule: "FREQ=DAILY;COUNT=1" };
    const forAnn = await series(tokens.marc, { ...once, memberId: members.ann });
    expect(forAnn.status).toBe(201);
    expect((await body(forAnn)).created[0].memberId).toBe(members.ann);
    // Ann is not ciney's: to its manager she does not exist. Bob is, but the desk is redu's.
    expect((await series(tokens.lea, { ...once, memberId: members.ann })).status).toBe(404);
    expect((await series(tokens.lea, { ...once, memberId: members.bob })).status).toBe(403);
  });
});
