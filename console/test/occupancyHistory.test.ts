import {
  addDays,
  encodeMessage,
  type GatewayEvent,
  instantOfLocal,
  topicFor,
  uuidv7,
  zonedReading,
} from "@passerelle/protocol";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember } from "../../cloud/src/domain/members.js";
import type { NetworkDaysView, WeekView } from "../../cloud/src/http/apiTypes.js";
import { seriousAxeViolations } from "./support/axeCheck.js";
import {
  chromiumAvailable,
  launchBrowser,
  logIn,
  screenshot,
  type TestBrowser,
} from "./support/browser.js";
import {
  type ConsoleNetwork,
  emails,
  password,
  startConsoleNetwork,
} from "./support/consoleNetwork.js";
import { waitUntil } from "./support/waitUntil.js";

/*
 * The week view of a centre's board and the network's 30 days (issue 15), from the store, on
 * days whose figures are computed by hand. Redu (capacity 24, Europe/Brussels), the same
 * weekday as today:
 *   one week ago   Ann 09:00–11:30, Bob 10:15–12:05 → peak per hour 9 h: 1, 10 h: 2, 11 h: 2, 12 h: 1
 *   two weeks ago  Ann 10:00–10:45                  → 10 h: 1
 *   three and four weeks ago: nobody
 *   → a typical day (mean of the four): 9 h 0.25, 10 h 0.75, 11 h 0.5, 12 h 0.25
 *   today          Carl in 10 minutes ago, still inside → this hour: 1
 *   → the 30 days, Redu: today 1 (4 %), a week ago 2 (8 %), two weeks ago 1 (4 %), else 0;
 *     Ciney: 0 every day.
 */
const zone = "Europe/Brussels";
const at = (date: string, time: string) => {
  const [hours = 0, minutes = 0] = time.split(":").map(Number);
  return instantOfLocal(date, hours * 60 + minutes, zone);
};

describe.skipIf(!chromiumAvailable())("occupancy history in the console", () => {
  let network: ConsoleNetwork;
  let browser: TestBrowser;
  let base: string;
  const now = Date.now();
  const today = zonedReading(now, zone).date;
  const currentHour = Math.floor(zonedReading(now, zone).minute / 60);
  const weekAgo = addDays(today, -7);
  const twoWeeksAgo = addDays(today, -14);

  async function openAs(email: string): Promise<Page> {
    const context = await browser.person();
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await logIn(page, base, email, password);
    return page;
  }

  async function api<T>(page: Page, path: string): Promise<T> {
    const token = await page.evaluate(
      () => JSON.parse(localStorage.getItem("passerelle.session") ?? "{}").token as string,
    );
    const response = await fetch(`${base}/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    network = await startConsoleNetwork();
    base = network.cloud.httpUrl;
    const deps = network.cloud.services.deps;
    const member = (name: string, email: string) =>
      createMember(deps, "user:admin", { name, email, homeCentreId: "redu" });
    const bob = await member("Bob Peeters", "bob.peeters@example.org");
    const carl = await member("Carl Dubois", "carl.dubois@example.org");
    const passages: [string, number, "in" | "out"][] = [
      [network.ann.id, at(weekAgo, "09:00"), "in"],
      [bob.id, at(weekAgo, "10:15"), "in"],
      [network.ann.id, at(weekAgo, "11:30"), "out"],
      [bob.id, at(weekAgo, "12:05"), "out"],
      [network.ann.id, at(twoWeeksAgo, "10:00"), "in"],
      [network.ann.id, at(twoWeeksAgo, "10:45"), "out"],
      [carl.id, now - 10 * 60_000, "in"],
    ];
    const events: GatewayEvent[] = passages
      .sort((a, b) => a[1] - b[1])
      .map(([memberId, time, direction], index) => ({
        id: uuidv7(time),
        seq: index + 1,
        time: new Date(time).toISOString(),
        type: "access",
        centre: "redu",
        door: network.gateway.doorId,
        direction,
        member: memberId,
        decision: "granted",
        reason: "pass",
      }));
    network.cloud.services.mqtt.ingest.receive(
      topicFor(network.gateway.id, "events"),
      Buffer.from(encodeMessage("events", { events })),
    );
    await waitUntil(
      "the four stays rebuilt (Carl's running one with its projected end)",
      async () => {
        const rows = await network.cloud.store.db
          .selectFrom("sessions")
          .select("id")
          .where("centre_id", "=", "redu")
          .execute();
        return rows.length === 4;
      },
    );
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  });

  it("compares today with the same weekday of the four weeks before, on the centre's board", async () => {
    const page = await openAs(emails.manager);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/board/redu");

    const week = await api<WeekView>(page, "/centres/redu/occupancy/week");
    expect(week.source).toBe("store");
    expect(week.comparedDates).toEqual([7, 14, 21, 28].map((n) => addDays(today, -n)));
    const typical = Object.fromEntries(week.hours.map((h) => [h.hour, h.typical]));
    expect(typical).toEqual({
      ...Object.fromEntries(Array.from({ length: 24 }, (_, h) => [h, 0])),
      9: 0.25,
      10: 0.75,
      11: 0.5,
      12: 0.25,
    });
    expect(week.hours[currentHour]?.today).toBe(1);
    expect(week.hours.filter((h) => h.today === null).map((h) => h.hour)).toEqual(
      Array.from({ length: 23 - currentHour }, (_, i) => currentHour + 1 + i),
    );

    const section = page.getByTestId("week-view");
    await section.waitFor();
    const weekday = new Intl.DateTimeFormat("fr-BE", { weekday: "long", timeZone: "UTC" }).format(
      new Date(`${today}T12:00:00Z`),
    );
    expect(await section.getByRole("heading").textContent()).toBe(
      `Aujourd’hui et un ${weekday} habituel`,
    );
    const rows = section.getByTestId("week-table").getByRole("row");
    const cells = async (hour: number) =>
      rows
        .filter({ hasText: `${String(hour).padStart(2, "0")}:00` })
        .getByRole("cell")
        .allTextContents();
    expect((await cells(9))[2]).toBe("0,25");
    expect((await cells(10))[2]).toBe("0,75");
    expect((await cells(11))[2]).toBe("0,5");
    expect((await cells(12))[2]).toBe("0,25");
    expect((await cells(currentHour))[1]).toBe("1");
    expect(await section.getByRole("img").getAttribute("aria-label")).toContain(weekday);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "manager-board-week");

    // The same view in English, after the language switch.
    await page.getByRole("button", { name: "Switch to English" }).click();
    await section.getByRole("heading", { name: /^Today and a typical / }).waitFor();
    expect(await section.getByRole("columnheader").first().textContent()).toBe("Hour");
    await page.context().close();
  });

  it("charts each centre's peak of each of the last 30 days for the coordinator", async () => {
    const page = await openAs(emails.coordinator);
    await page.goto(`${base}/board`);

    const days = await api<NetworkDaysView>(page, "/occupancy/days");
    expect(days).toMatchObject({ from: addDays(today, -29), to: today, source: "store" });
    const redu = days.centres.find((c) => c.centreId === "redu");
    const nonZero = redu?.days.filter((d) => d.peak > 0);
    expect(nonZero).toEqual([
      { date: twoWeeksAgo, peak: 1, rate: 0.042 },
      { date: weekAgo, peak: 2, rate: 0.083 },
      { date: today, peak: 1, rate: 0.042 },
    ]);
    const ciney = days.centres.find((c) => c.centreId === "ciney");
    expect(ciney?.days.every((d) => d.peak === 0)).toBe(true);
    expect(ciney?.days).toHaveLength(30);

    const section = page.getByTestId("network-days");
    await section.waitFor();
    // Centres in the order of their ids: Ciney, then Redu.
    const rows = section.getByTestId("network-days-table").getByRole("row");
    // A header row, then the days, the most recent first.
    expect(await rows.count()).toBe(31);
    const cellsOf = async (daysAgo: number) =>
      (
        await rows
          .nth(1 + daysAgo)
          .getByRole("cell")
          .allTextContents()
      ).map((text) => text.replace(/\s/g, " "));
    expect(await cellsOf(0)).toEqual([expect.any(String), "0 (0 %)", "1 (4 %)"]);
    expect(await cellsOf(7)).toEqual([expect.any(String), "0 (0 %)", "2 (8 %)"]);
    expect(await cellsOf(14)).toEqual([expect.any(String), "0 (0 %)", "1 (4 %)"]);
    expect(await cellsOf(21)).toEqual([expect.any(String), "0 (0 %)", "0 (0 %)"]);
    const headers = await section.getByRole("columnheader").allTextContents();
    expect(headers).toEqual(["Date", "Ciney – Tiers-lieu du Condroz", "Redu – Smart Work Center"]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "coordinator-network-days");
    await page.context().close();
  });
});
