import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingsWorld, body, iso, startBookingsWorld, weekdayAt } from "./bookingsFixture.js";

/**
 * Every reservation route × every role: allowed, 403 (role) or 404 (someone else's thing, or
 * another centre's). Ann (worker) owns a booking and a series at redu; Marc manages redu, Lea
 * ciney; Cora coordinates; Bob is another worker.
 */
describe("reservation routes: the role matrix", () => {
  let world: BookingsWorld;
  let bookingId: string;
  let seriesId: string;
  beforeAll(async () => {
    world = await startBookingsWorld();
    const booking = await world.call("POST", "/bookings", {
      token: world.tokens.ann,
      body: { resourceId: "redu-desk-1", start: iso(weekdayAt(9)), end: iso(weekdayAt(10)) },
    });
    bookingId = (await body(booking)).id;
    const series = await world.call("POST", "/bookings/recurring", {
      token: world.tokens.ann,
      body: {
        resourceId: "redu-room-a",
        start: iso(weekdayAt(11)),
        end: iso(weekdayAt(12)),
        rrule: "FREQ=WEEKLY;COUNT=2",
        mode: "refuse-all",
      },
    });
    seriesId = (await body(series)).seriesId;
  });
  afterAll(() => world?.stop());

  const day = () => weekdayAt(0);
  const people = ["ann", "bob", "marc", "lea", "cora"] as const;
  type Person = (typeof people)[number];

  it("reads: each role gets what the route plan says", async () => {
    const availability = `/availability?kind=desk&from=${encodeURIComponent(iso(day()))}&to=${encodeURIComponent(iso(day().plus({ days: 1 })))}`;
    const expected: [string, Record<Person, number>][] = [
      [availability, { ann: 200, bob: 200, marc: 200, lea: 200, cora: 200 }],
      ["/bookings", { ann: 200, bob: 200, marc: 200, lea: 200, cora: 200 }],
      ["/bookings?centreId=redu", { ann: 200, bob: 200, marc: 200, lea: 404, cora: 200 }],
      [`/bookings/${bookingId}`, { ann: 200, bob: 404, marc: 200, lea: 404, cora: 200 }],
      ["/me/bookings", { ann: 200, bob: 200, marc: 403, lea: 403, cora: 403 }],
      ["/me/calendar-link", { ann: 200, bob: 200, marc: 403, lea: 403, cora: 403 }],
      [
        "/resources/redu-desk-1/calendar.ics",
        { ann: 403, bob: 403, marc: 200, lea: 404, cora: 200 },
      ],
    ];
    for (const [path, byPerson] of expected) {
      for (const person of people) {
        const response = await world.call("GET", path, { token: world.tokens[person] });
        expect(response.status, `${person} GET ${path}`).toBe(byPerson[person]);
      }
    }
  });

  it("cancelling someone else's booking or series is 404 unless staff of its centre", async () => {
    for (const person of ["bob", "lea"] as const) {
      const token = world.tokens[person];
      expect((await world.call("DELETE", `/bookings/${bookingId}`, { token })).status).toBe(404);
      expect((await world.call("DELETE", `/bookings/series/${seriesId}`, { token })).status).toBe(
        404,
      );
    }
    expect(
      (await world.call("DELETE", `/bookings/series/${seriesId}`, { token: world.tokens.marc }))
        .status,
    ).toBe(200);
    expect(
      (await world.call("DELETE", `/bookings/${bookingId}`, { token: world.tokens.cora })).status,
    ).toBe(200);
  });

  it("every reservation route refuses an anonymous caller with 401, except the feed link", async () => {
    const routes: [string, string][] = [
      ["GET", "/availability?kind=desk&from=2026-12-01T00:00Z&to=2026-12-02T00:00Z"],
      ["GET", "/bookings"],
      ["GET", "/me/bookings"],
      ["GET", `/bookings/${bookingId}`],
      ["DELETE", `/bookings/${bookingId}`],
      ["DELETE", `/bookings/series/${seriesId}`],
      ["GET", "/me/calendar-link"],
      ["DELETE", "/me/calendar-link"],
      ["GET", "/resources/redu-desk-1/calendar.ics"],
    ];
    for (const [method, path] of routes) {
      expect((await world.call(method, path)).status, `${method} ${path}`).toBe(401);
    }
    const booking = {
      resourceId: "redu-desk-1",
      start: iso(weekdayAt(15)),
      end: iso(weekdayAt(16)),
    };
    expect((await world.call("POST", "/bookings", { body: booking })).status).toBe(401);
    const series = { ...booking, rrule: "FREQ=DAILY;COUNT=1", mode: "skip-conflicts" };
    expect((await world.call("POST", "/bookings/recurring", { body: series })).status).toBe(401);
    // The feed link is public by design (the token is the credential): a bad one is 404, not 401.
    expect((await world.call("GET", "/calendar/nothing.ics")).status).toBe(404);
  });
});
