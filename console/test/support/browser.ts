import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

/**
 * Debian's chromium drives the browser tests. In CI (CI=true) a missing chromium fails the
 * run; elsewhere the tests are skipped, loudly, since a developer may not have installed it.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI === "true")
    throw new Error(`${chromiumPath} is missing: .ci/run installs the chromium package`);
  console.warn(
    `\n*** console browser tests SKIPPED: ${chromiumPath} is missing (apt-get install chromium) ***\n`,
  );
  return false;
}

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (cookies, storage) for one person, on a phone-sized or desk-sized screen. */
  person(options?: { phone?: boolean; language?: "fr" | "en" }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright-core starts chromium on a fresh temporary profile (--user-data-dir) of its own
  // and removes it at close; each person below also gets a fresh context (storage, cookies).
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  return {
    browser,
    async person(options = {}) {
      const context = await browser.newContext({
        viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
        ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
        locale: options.language === "en" ? "en-GB" : "fr-BE",
        timezoneId: "Europe/Brussels",
        acceptDownloads: true,
      });
      context.setDefaultTimeout(10_000);
      return context;
    },
    async close() {
      await browser.close();
    },
  };
}

const screenshotDir = fileURLToPath(new URL("../../screenshots/", import.meta.url));

/** A full-page screenshot for review (console/screenshots/, git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Logs in through the login form and waits for the first page after it. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/mot de passe|password/i).fill(password);
  await page.getByRole("button", { name: /se connecter|log in/i }).click();
  await page.getByRole("navigation").waitFor();
}
