import { encodeMessage, type GatewayEvent, topicFor, uuidv7 } from "@passerelle/protocol";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBooking } from "../../cloud/src/reservations/createBooking.js";
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

const minute = 60_000;
const zone = "Europe/Brussels";

/** "2026-12" of an instant, in Brussels. */
const monthOf = (at: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date(at)).slice(0, 7);

/**
 * The reports and the audit log in the console (issue 16, parts 6 and 7): bookings against
 * their use with a no-show, the settlement line of a 31-minute visit explained down to its
 * rounding and its cent, the audit log filtered by actor and action with its chain verified
 * (and found broken once a row is edited in the database), and codes shown as words in French
 * and in English.
 */
describe.skipIf(!chromiumAvailable())("reports and the audit log in the console", () => {
  let network: ConsoleNetwork;
  let browser: TestBrowser;
  let base: string;
  let month: string;

  async function openAs(email: string, language: "fr" | "en" = "fr"): Promise<Page> {
    const context = await browser.person({ language });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await logIn(page, base, email, password);
    return page;
  }

  /** axe at a desk's width and a phone's, with a screenshot of each (console/screenshots/). */
  async function check(page: Page, name: string) {
    expect(await seriousAxeViolations(page), name).toEqual([]);
    await screenshot(page, `${name}-1366`);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, `${name}-390`);
    expect(await seriousAxeViolations(page), `${name} at 390 px`).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 900 });
  }

  /**
   * Ann's afternoon at Redu, as the gateway reported it: she booked Poste 1 and never came
   * (a no-show), booked Poste 2, badged in 31 minutes before badging out, and the door stayed
   * open behind her. Everything lies within one month (the scenario moves back 6 h when the
   * month began less than 6 h ago).
   */
  async function annsAfternoon(): Promise<void> {
    const deps = network.deps;
    let now = Date.now();
    if (monthOf(now - 6 * 60 * minute) !== monthOf(now)) now -= 6 * 60 * minute;
    const at = (minutesAgo: number) => now - minutesAgo * minute;
    month = monthOf(at(300));
    // Bookings made in the past: the booking service is given the clock of that moment.
    const then = { ...deps, clock: { now: () => at(400) } };
    await createBooking(then, "user:admin", {
      resourceId: "redu-desk-1",
      memberId: network.ann.id,
      start: at(300),
      end: at(240),
    });
    await createBooking(then, "user:admin", {
      resourceId: "redu-desk-2",
      memberId: network.ann.id,
      start: at(190),
      end: at(100),
    });
    const event = (seq: number, minutesAgo: number, fields: Partial<GatewayEvent>) =>
      ({
        id: uuidv7(at(minutesAgo)),
        seq,
        time: new Date(at(minutesAgo)).toISOString(),
        centre: "redu",
        door: "door-1",
        ...fields,
      }) as GatewayEvent;
    const access = { type: "access", member: network.ann.id, decision: "granted", reason: "pass" };
    const events = [
      event(1, 180, { ...access, direction: "in" } as Partial<GatewayEvent>),
      event(2, 149, { ...access, direction: "out" } as Partial<GatewayEvent>),
      event(3, 148, { type: "door.held-open" }),
    ];
    network.cloud.services.mqtt.ingest.receive(
      topicFor(network.gateway.id, "events"),
      Buffer.from(encodeMessage("events", { events })),
    );
    await waitUntil("Ann's visit closed by her exit badge", async () => {
      const row = await network.cloud.store.db
        .selectFrom("sessions")
        .selectAll()
        .where("member_id", "=", network.ann.id)
        .executeTakeFirst();
      return row !== undefined && row.close_reason === "exit";
    });
    await waitUntil("the held-open door in the audit log", async () => {
      const row = await network.cloud.store.db
        .selectFrom("audit_log")
        .select("id")
        .where("action", "=", "door.held-open")
        .executeTakeFirst();
      return row !== undefined;
    });
  }

  beforeAll(async () => {
    network = await startConsoleNetwork();
    base = network.cloud.httpUrl;
    await annsAfternoon();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  });

  it("lands the coordinator on the network board with the network's total", async () => {
    const page = await openAs(emails.coordinator);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/board");
    await expect
      .poll(() => page.getByTestId("network-total").textContent())
      .toMatch(/personnes dans le réseau/);
    await page.context().close();
  });

  it("shows bookings against their use, and a settlement line whose arithmetic is explained", async () => {
    const page = await openAs(emails.coordinator);
    await page.goto(`${base}/reports?month=${month}`);
    const usage = page.getByTestId("booked-vs-used");
    await expect.poll(() => usage.textContent()).toContain("Redu – Smart Work Center");
    // Redu: 2 bookings, 1 used (she badged in during Poste 2's), 1 nobody came to: 50 %.
    const redu = usage.getByRole("row").filter({ hasText: "Redu" });
    expect(await redu.getByRole("cell").allTextContents()).toEqual([
      "Redu – Smart Work Center",
      "2",
      "1",
      "1",
      "50 %",
      "0",
      "2,5 h",
      "0,75 h",
    ]);

    // 31 minutes, rounded up to 45 by Redu's rule, at 4,50 € an hour: 3,375 € → 3,38 €.
    const block = page.locator('section[data-centre="redu"]');
    const text = (await block.textContent()) ?? "";
    expect(text).toMatch(/Tarif : 4,50\s€ par heure\./);
    expect(text).toContain("un abonnement du réseau valable dans ce centre");
    expect(text).toContain("chaque présence arrondie au multiple de 15 min supérieur");
    expect(text).toMatch(/45 min × 4,50\s€\/h ÷ 60 = 3,375\s€ → 3,38\s€/);
    // Which sessions: the disclosure lists her visit, its actual and rounded length, counted.
    await block.getByText("Quelles présences comptent pour Ann Lambert (1 comptée(s))").click();
    const sessions = block.getByRole("region", { name: /Présences de Ann Lambert/ });
    await expect.poll(() => sessions.textContent()).toContain("badge de sortie");
    const cells = await sessions.getByRole("row").nth(1).getByRole("cell").allTextContents();
    expect(cells.slice(1)).toEqual(["badge de sortie", "31 min", "45 min", "✓ comptée"]);
    await check(page, "coordinator-reports-explained");
    await page.context().close();
  });

  it("filters the audit log by actor and action, in words, and verifies the chain", async () => {
    const page = await openAs(emails.coordinator);
    await page.getByRole("link", { name: "Journal d’audit" }).click();
    const log = page.getByTestId("audit-log");
    await expect.poll(() => log.textContent()).toContain("Porte restée ouverte (alarme)");
    // The door's own report: actor the gateway, action the held-open door.
    await page.getByLabel("Qui").selectOption({ label: "Passerelle redu-gw-1" });
    await page.getByLabel("Quoi").selectOption({ label: "Porte restée ouverte" });
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect.poll(() => log.getByRole("row").count()).toBe(2);
    const row = await log.getByRole("row").nth(1).getByRole("cell").allTextContents();
    expect(row.slice(1, 5)).toEqual([
      "Passerelle redu-gw-1",
      "Porte restée ouverte (alarme)",
      "Redu – Smart Work Center",
      "Entrée principale",
    ]);
    expect(new URL(page.url()).searchParams.get("action")).toBe("door.held-open");

    // An admin change by action: the badge the seed issued.
    await page.getByLabel("Qui").selectOption({ label: "Tout le monde" });
    await page.getByLabel("Quoi").selectOption({ label: "Badge remis" });
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect.poll(() => log.textContent()).toContain("Ann Lambert");
    expect(await log.textContent()).not.toContain("Porte restée ouverte");

    await page.getByRole("button", { name: "Vérifier la chaîne" }).click();
    const verdict = page.getByTestId("audit-verdict");
    await expect.poll(() => verdict.textContent()).toMatch(/^✓ Chaîne intacte : \d+ entrée/);
    await check(page, "coordinator-audit");

    // Someone edits an entry in the database: the same button names it.
    await network.cloud.store.db
      .updateTable("audit_log")
      .set({ actor: "user:someone-else" })
      .where("id", "=", 3)
      .execute();
    await page.getByRole("button", { name: "Vérifier la chaîne" }).click();
    await expect
      .poll(() => verdict.textContent())
      .toContain("Chaîne rompue à l’entrée n° 3 : une entrée a été modifiée après coup.");
    await screenshot(page, "coordinator-audit-broken");
    await page.context().close();
  });

  it("shows a manager their centre's audit log without the coordinator's verify button", async () => {
    const page = await openAs(emails.manager);
    await page.getByRole("link", { name: "Journal d’audit" }).click();
    const log = page.getByTestId("audit-log");
    await expect.poll(() => log.textContent()).toContain("Porte restée ouverte");
    expect(await page.getByRole("button", { name: "Vérifier la chaîne" }).count()).toBe(0);
    await check(page, "manager-audit");
    await page.context().close();
  });

  it("says event types, reasons and months in words in English and in French", async () => {
    const page = await openAs(emails.coordinator, "en");
    await page.goto(`${base}/access-log?type=all&from=${month}-01`);
    const log = page.getByTestId("access-log");
    await expect.poll(() => log.textContent()).toContain("Door held open");
    expect(await log.textContent()).toContain("granted pass");
    expect(await log.textContent()).not.toContain("door.held-open");
    await page.goto(`${base}/audit?action=door.held-open`);
    await expect
      .poll(() => page.getByTestId("audit-log").textContent())
      .toContain("Door held open (alarm)");
    const monthEn = new Intl.DateTimeFormat("en-GB", {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    }).format(new Date(`${month}-15T00:00:00Z`));
    await page.goto(`${base}/reports?month=${month}`);
    await expect
      .poll(() => page.getByTestId("settlement-total").textContent())
      .toMatch(new RegExp(`^The network owes the centres €3\\.38 for ${monthEn}\\.$`));
    await check(page, "coordinator-reports-en");

    // The same page after the switch to French: words and dates in French.
    await page.getByRole("button", { name: "Passer en français" }).click();
    const monthFr = new Intl.DateTimeFormat("fr-BE", {
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    }).format(new Date(`${month}-15T00:00:00Z`));
    await expect
      .poll(() => page.getByTestId("settlement-total").textContent())
      .toMatch(new RegExp(`^Le réseau doit 3,38\\s€ aux centres pour ${monthFr}\\.$`));
    await page.goto(`${base}/access-log?type=all&from=${month}-01`);
    await expect
      .poll(() => page.getByTestId("access-log").textContent())
      .toContain("Porte restée ouverte");
    await page.context().close();
  });

  it("offers only the languages the console has when a member is registered", async () => {
    const page = await openAs(emails.manager);
    await page.getByRole("link", { name: "Membres et badges" }).click();
    const options = await page.getByLabel("Langue").locator("option").allTextContents();
    expect(options).toEqual(["Français", "English"]);
    await page.context().close();
  });
});
