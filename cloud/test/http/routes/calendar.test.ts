import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BookingsWorld, body, iso, startBookingsWorld, weekdayAt } from "./bookingsFixture.js";

const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");

describe("iCalendar feed routes (the wired cloud, over HTTP)", () => {
  let world: BookingsWorld;
  let kept: { id: string };
  let cancelled: { id: string };
  beforeAll(async () => {
    world = await startBookingsWorld();
    const book = async (hour: number) =>
      body(
        await world.call("POST", "/bookings", {
          token: world.tokens.ann,
          body: {
            resourceId: "redu-desk-1",
            start: iso(weekdayAt(hour)),
            end: iso(weekdayAt(hour + 1)),
          },
        }),
      );
    kept = await book(9);
    cancelled = await book(14);
    await world.call("DELETE", `/bookings/${cancelled.id}`, { token: world.tokens.ann });
  });
  afterAll(() => world?.stop());

  const link = async (token = world.tokens.ann) => {
    const response = await world.call("GET", "/me/calendar-link", { token });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    return (await body(response)) as { url: string; webcalUrl: string };
  };

  it("gives a secret link whose feed holds the member's bookings, with no header needed", async () => {
    const { url, webcalUrl } = await link();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\/psrcal_[\w-]{43}\.ics$/);
    expect(webcalUrl).toBe(url.replace(/^http:/, "webcal:"));
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await feed.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    const lines = unfold(text).split("\r\n");
    expect(lines).toContain(`UID:${kept.id}@passerelle`);
    expect(lines).toContain(`DTSTART:${weekdayAt(9).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    expect(lines).toContain("SUMMARY:Desk 1 (REDU)");
    // A cancelled booking stays, marked, so subscribed apps drop the event they showed.
    const cancelledAt = lines.indexOf(`UID:${cancelled.id}@passerelle`);
    expect(cancelledAt).toBeGreaterThan(0);
    expect(lines.slice(cancelledAt).find((l) => l.startsWith("STATUS:"))).toBe("STATUS:CANCELLED");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(2);
  });

  it("asking again revokes the previous link; DELETE revokes without a new one", async () => {
    const first = await link();
    const second = await link();
    expect(second.url).not.toBe(first.url);
    expect((await fetch(first.url)).status).toBe(404);
    expect((await fetch(second.url)).status).toBe(200);
    const revoked = await world.call("DELETE", "/me/calendar-link", { token: world.tokens.ann });
    expect(revoked.status).toBe(204);
    expect((await fetch(second.url)).status).toBe(404);
  });

  it("never writes a feed token to the logs", async () => {
    const { url } = await link();
    expect((await fetch(url)).status).toBe(200);
    const token = /psrcal_[\w-]+/.exec(url)?.[0] ?? "";
    expect(token).not.toBe("");
    expect(world.logLines().length).toBeGreaterThan(0);
    expect(world.logLines().filter((line) => line.includes("psrcal_"))).toEqual([]);
  });

  it("answers unknown and malformed feed tokens alike with 404", async () => {
    const base = `${world.cloud.httpUrl}/api/v1/calendar`;
    for (const file of [
      "psrcal_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
      "nonsense.ics",
      "x",
    ]) {
      expect((await fetch(`${base}/${file}`)).status, file).toBe(404);
    }
  });

  it("feed links are for members: staff without a member get 403, anonymous 401", async () => {
    expect(
      (await world.call("GET", "/me/calendar-link", { token: world.tokens.marc })).status,
    ).toBe(403);
    expect((await world.call("GET", "/me/calendar-link")).status).toBe(401);
  });

  it("serves a resource's calendar to its centre's managers and coordinators only", async () => {
    const path = "/resources/redu-desk-1/calendar.ics";
    const forManager = await world.call("GET", path, { token: world.tokens.marc });
    expect(forManager.status).toBe(200);
    expect(forManager.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const lines = unfold(forManager.text).split("\r\n");
    expect(lines).toContain("SUMMARY:Desk 1: Ann");
    expect(lines).toContain("X-WR-CALNAME:Passerelle — Desk 1");
    expect((await world.call("GET", path, { token: world.tokens.cora })).status).toBe(200);
    expect((await world.call("GET", path, { token: world.tokens.lea })).status).toBe(404);
    expect((await world.call("GET", path, { token: world.tokens.ann })).status).toBe(403);
    expect((await world.call("GET", path)).status).toBe(401);
    expect(
      (await world.call("GET", "/resources/nowhere/calendar.ics", { token: world.tokens.cora }))
        .status,
    ).toBe(404);
  });
});
