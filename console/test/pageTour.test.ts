import {
  accessReasons,
  closeReasons,
  encodeMessage,
  eventTypes,
  type GatewayEvent,
  topicFor,
  uuidv7,
} from "@passerelle/protocol";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pages } from "../src/pages/index.js";
import { publicPages } from "../src/pages/public/publicPages.js";
import type { Role } from "../src/session.js";
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

const personOf: Record<Role, string> = {
  worker: emails.worker,
  manager: emails.manager,
  coordinator: emails.coordinator,
};

/**
 * The codes a page must never show as they are (docs/console.md "Words, not codes"): those
 * with a dot or a dash, which no French or English word spells.
 */
const rawCodes = [...eventTypes, ...accessReasons, ...closeReasons].filter((code) =>
  /[.-]/.test(code),
);

/**
 * Every page of the console (the router's own list, so a new page is toured without editing
 * this file), as each role that may open it, in French at 1366 px and 390 px and in English at
 * 1366 px: axe-core finds no serious or critical violation, no protocol code shows as it is,
 * and a screenshot of each lands in console/screenshots/ (git-ignored).
 */
describe.skipIf(!chromiumAvailable())("every console page, checked and photographed", () => {
  let network: ConsoleNetwork;
  let browser: TestBrowser;
  let base: string;

  const concrete = (path: string) =>
    path
      .replace(":centreId", "redu")
      .replace(":memberId", encodeURIComponent(network.ann.id))
      // The access log with every event kind, so door and gateway events are on the page.
      .replace(/^\/access-log$/, "/access-log?type=all");
  const slug = (path: string) => path.replace(/^\//, "").replace(/[/:]/g, "-") || "home";

  /** The page drawn, its loading notice gone. */
  async function settled(page: Page, path: string) {
    await page.goto(`${base}${path}`);
    await page.locator("main h1").waitFor();
    await page.waitForFunction(() => !document.querySelector('main [aria-busy="true"]'));
  }

  async function inspect(page: Page, name: string) {
    expect(await seriousAxeViolations(page), name).toEqual([]);
    const text = (await page.locator("main").innerText()) ?? "";
    expect(
      rawCodes.filter((code) => text.includes(code)),
      `${name} shows a code`,
    ).toEqual([]);
    await screenshot(page, name);
  }

  /** Some of Ann's visit and a door alarm, so the logs, hours and history have rows to word. */
  function annsVisit() {
    const now = Date.now();
    const event = (seq: number, minutesAgo: number, fields: Partial<GatewayEvent>) =>
      ({
        id: uuidv7(now - minutesAgo * 60_000),
        seq,
        time: new Date(now - minutesAgo * 60_000).toISOString(),
        centre: "redu",
        door: "door-1",
        ...fields,
      }) as GatewayEvent;
    const ann = { type: "access", member: network.ann.id, decision: "granted", reason: "pass" };
    const events = [
      event(1, 50, { ...ann, direction: "in" } as Partial<GatewayEvent>),
      event(2, 40, { type: "door.held-open" }),
      event(3, 39, { type: "door.alarm-cleared" }),
      event(4, 30, { ...ann, direction: "out" } as Partial<GatewayEvent>),
      event(5, 20, {
        type: "access",
        direction: "in",
        decision: "denied",
        reason: "unknown-badge",
      }),
    ];
    network.cloud.services.mqtt.ingest.receive(
      topicFor(network.gateway.id, "events"),
      Buffer.from(encodeMessage("events", { events })),
    );
  }

  beforeAll(async () => {
    network = await startConsoleNetwork();
    base = network.cloud.httpUrl;
    annsVisit();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await network?.stop();
  });

  it("checks the login and the pages opened from an e-mail, in both languages and widths", {
    timeout: 120_000,
  }, async () => {
    for (const language of ["fr", "en"] as const) {
      const context = await browser.person({ language });
      const page = await context.newPage();
      for (const path of ["/login", ...Object.keys(publicPages)]) {
        for (const width of [1366, 390]) {
          await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
          await settled(page, path);
          await inspect(page, `tour-public-${slug(path)}-${language}-${width}`);
        }
      }
      await context.close();
    }
  });

  /** One logged-in tab per role and language, kept across that role's pages. */
  const tabs = new Map<string, Promise<Page>>();
  function tabOf(role: Role, language: "fr" | "en"): Promise<Page> {
    const key = `${role}-${language}`;
    let tab = tabs.get(key);
    if (tab === undefined) {
      tab = (async () => {
        const context = await browser.person({ language });
        const page = await context.newPage();
        await page.setViewportSize({ width: 1366, height: 900 });
        await logIn(page, base, personOf[role], password);
        return page;
      })();
      tabs.set(key, tab);
    }
    return tab;
  }

  for (const role of ["worker", "manager", "coordinator"] as const) {
    for (const definition of pages.filter((p) => p.roles.includes(role))) {
      it(`checks ${definition.path} as a ${role}`, { timeout: 120_000 }, async () => {
        const path = concrete(definition.path);
        for (const language of ["fr", "en"] as const) {
          const page = await tabOf(role, language);
          const widths = language === "fr" ? [1366, 390] : [1366];
          for (const width of widths) {
            await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
            await settled(page, path);
            await inspect(page, `tour-${role}-${slug(definition.path)}-${language}-${width}`);
          }
        }
      });
    }
  }
});
