import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base32Decode, hotp, timeStep } from "../../cloud/src/security/totp.js";
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

/**
 * Issue 16 parts 1 (TOTP), 4 and 5 in Debian's chromium: a worker cannot double-book, a manager
 * imports members from a CSV file (preview, then confirm), the badge UID field's pattern is one
 * the browser accepts, passes are given and ended, and a staff login with a second factor.
 */
describe.skipIf(!chromiumAvailable())(
  "people in the console: bookings, members, passes, TOTP",
  () => {
    let network: ConsoleNetwork;
    let browser: TestBrowser;
    let base: string;

    beforeAll(async () => {
      network = await startConsoleNetwork();
      base = network.cloud.httpUrl;
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await network?.stop();
    });

    async function openAs(email: string): Promise<Page> {
      const context = await browser.person();
      // The machine is shared: a slow moment is not a failure of the page.
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      await logIn(page, base, email, password);
      return page;
    }

    /** axe on the page as it is, then screenshots at 1366 px and 390 px wide. */
    async function check(page: Page, name: string): Promise<void> {
      expect(await seriousAxeViolations(page), name).toEqual([]);
      await page.setViewportSize({ width: 1366, height: 900 });
      await screenshot(page, `people-${name}-1366`);
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, `people-${name}-390`);
      expect(await seriousAxeViolations(page), `${name} at 390 px`).toEqual([]);
      await page.setViewportSize({ width: 1366, height: 900 });
    }

    it("a worker cannot double-book: the second tab is told why", async () => {
      const first = await openAs(emails.worker);
      await expect.poll(() => new URL(first.url()).pathname).toBe("/book");
      // The default slot is never in the past.
      const date = await first.getByLabel("Date").inputValue();
      const start = await first.getByLabel("Début").inputValue();
      const startsAt = new Date(`${date}T${start}:00`).getTime();
      expect(startsAt).toBeGreaterThanOrEqual(Date.now() - 60_000);
      const second = await first.context().newPage();
      await second.goto(`${base}/book`);
      for (const page of [first, second]) {
        await page.getByLabel("Centre").selectOption("redu");
        await page.getByRole("button", { name: "Voir les disponibilités" }).click();
        await page.getByRole("button", { name: "Réserver Poste 1" }).waitFor();
      }
      await expect
        .poll(() => first.getByTestId("seats-summary").textContent())
        .toMatch(/^2 sur 2 postes libres$/);
      await first.getByRole("button", { name: "Réserver Poste 1" }).click();
      await first.getByRole("status").filter({ hasText: "Réservé : Poste 1" }).waitFor();
      await expect
        .poll(() => first.getByTestId("seats-summary").textContent())
        .toBe("1 sur 2 postes libres");
      await second.getByRole("button", { name: "Réserver Poste 1" }).click();
      const refusal = second.getByRole("alert").filter({ hasText: "Poste 1" });
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain("Vous avez déjà une réservation de Poste 1");
      await check(first, "book");
      // Recurring from the console: the same hours every week for four weeks.
      await first.getByLabel("Répéter").selectOption("4");
      await first.getByRole("button", { name: "Réserver Poste 2" }).click();
      await first.getByRole("status").filter({ hasText: "Poste 2 réservé 4 fois" }).waitFor();
      const series = await network.deps.store.db
        .selectFrom("bookings")
        .select("series_id")
        .where("resource_id", "=", "redu-desk-2")
        .where("status", "=", "confirmed")
        .execute();
      expect(series).toHaveLength(4);
      expect(new Set(series.map((b) => b.series_id)).size).toBe(1);
      const bookings = await network.deps.store.db
        .selectFrom("bookings")
        .select("id")
        .where("resource_id", "=", "redu-desk-1")
        .where("status", "=", "confirmed")
        .execute();
      expect(bookings).toHaveLength(1);
      await first.context().close();
    }, 120_000);

    it("a manager imports members from a CSV file: problems per line, then preview and confirm", async () => {
      const page = await openAs(emails.manager);
      await page.getByRole("link", { name: "Membres et badges" }).click();
      const file = page.getByLabel("Fichier CSV");
      const upload = async (name: string, text: string | Buffer) => {
        await file.setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
        await page.getByRole("button", { name: "Vérifier le fichier" }).click();
      };
      await upload(
        "bad.csv",
        "nom;e-mail;centre\nZoé Martin;zoe@example.org;redu\n=1+2;formule@example.org;redu\nYves;pas-un-email;redu\n",
      );
      const problems = page.getByTestId("import-problems");
      await expect.poll(() => problems.textContent()).toContain("Ligne 3");
      expect(await problems.textContent()).toContain('starts with "="');
      expect(await problems.textContent()).toContain("Ligne 4");
      expect(await page.getByRole("button", { name: "Importer ces membres" }).isVisible()).toBe(
        false,
      );
      await check(page, "import-problems");

      await upload("huge.csv", Buffer.alloc(10 * 1024 * 1024, 97));
      await page.getByRole("alert").filter({ hasText: "1 Mo au plus" }).waitFor();

      await upload(
        "good.csv",
        'nom;e-mail;centre;langue\nZoé Martin;zoe@example.org;redu;fr\n"Xavier; dit Xav";xavier@example.org;redu;en\n',
      );
      const rows = page.getByTestId("import-rows");
      await expect.poll(() => rows.textContent()).toContain("Xavier; dit Xav");
      const count = async () =>
        (await network.deps.store.db.selectFrom("members").select("id").execute()).length;
      const before = await count();
      await check(page, "import-preview");
      await page.getByRole("button", { name: "Importer ces membres" }).click();
      await page.getByRole("status").filter({ hasText: "2 membre(s) importé(s)" }).waitFor();
      expect(await count()).toBe(before + 2);
      await page.context().close();
    }, 120_000);

    it("the UID field's pattern is one the browser accepts; passes are given and ended", async () => {
      const page = await openAs(emails.manager);
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
      });
      await page.goto(`${base}/members/${network.ann.id}`);
      const uid = page.getByLabel("Identifiant du badge (UID)");
      await uid.fill("04:A1:");
      await page.getByRole("button", { name: "Remettre un badge" }).click();
      expect(await uid.evaluate((el) => (el as HTMLInputElement).validity.patternMismatch)).toBe(
        true,
      );
      expect(errors.filter((e) => /pattern/i.test(e))).toEqual([]);
      await uid.fill("04:A1:B2:C3:D4:E5");
      await page.getByRole("button", { name: "Remettre un badge" }).click();
      const badges = page.getByTestId("badges");
      await expect.poll(() => badges.textContent()).toContain("…D4E5");

      const give = page.getByRole("form", { name: "Donner un pass" });
      await give.getByRole("button", { name: "Donner un pass" }).click();
      await page.getByRole("status").filter({ hasText: "Pass donné." }).waitFor();
      const passes = page.getByTestId("passes");
      await expect.poll(() => passes.getByRole("button", { name: "Mettre fin" }).count()).toBe(2);
      await check(page, "member");
      await passes
        .getByRole("row")
        .filter({ hasText: "Abonnement au centre" })
        .getByRole("button", { name: "Mettre fin" })
        .click();
      await page
        .getByRole("form", { name: /Mettre fin au pass/ })
        .getByRole("button", { name: "Confirmer la fin du pass" })
        .click();
      await page.getByRole("status").filter({ hasText: "Pass terminé" }).waitFor();
      await expect.poll(() => passes.textContent()).toContain("Fin d'abonnement");
      await page.context().close();
    }, 120_000);

    it("a coordinator turns on the second factor; the next login asks the code", async () => {
      const page = await openAs(emails.coordinator);
      await page.getByRole("link", { name: "Mon compte" }).click();
      await page.getByRole("button", { name: "Activer la double authentification" }).click();
      const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
      const key = base32Decode(secret);
      const step = timeStep(Date.now());
      await page
        .getByLabel("Code de l'application d'authentification")
        .fill(hotp(key, BigInt(step)));
      await page.getByRole("button", { name: "Activer avec ce code" }).click();
      await expect
        .poll(() => page.getByTestId("recovery-codes").getByRole("listitem").count())
        .toBe(10);
      await check(page, "second-factor");
      await page.getByRole("button", { name: "Se déconnecter", exact: true }).click();

      await page.getByLabel(/e-mail/i).fill(emails.coordinator);
      await page.getByLabel(/mot de passe/i).fill(password);
      await page.getByRole("button", { name: /se connecter/i }).click();
      await page.getByRole("alert").filter({ hasText: "double authentification" }).waitFor();
      await check(page, "login-code");
      // The next step's code: the one used to turn the factor on is never accepted again.
      await page
        .getByLabel("Code de l'application d'authentification")
        .fill(hotp(key, BigInt(step + 1)));
      await page.getByRole("button", { name: /se connecter/i }).click();
      await page.getByRole("navigation").waitFor();
      expect(new URL(page.url()).pathname).not.toBe("/login");
      await page.context().close();
    }, 120_000);
  },
);
