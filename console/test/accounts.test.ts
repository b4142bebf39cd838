import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCentre } from "../../cloud/src/domain/centres.js";
import { grantStaffRole } from "../../cloud/src/domain/staff.js";
import { createUser } from "../../cloud/src/domain/users.js";
import { type RunningCloud, startCloud } from "../../cloud/src/server.js";
import { seriousAxeViolations } from "./support/axeCheck.js";
import {
  chromiumAvailable,
  launchBrowser,
  logIn,
  screenshot,
  type TestBrowser,
} from "./support/browser.js";
import { TestMailbox } from "./support/testMailbox.js";

const coordinatorEmail = "coordination@example.org";
const managerEmail = "nouvelle.gestion@example.org";
const firstPassword = "un mot de passe assez long";
const managerPassword = "le mot de passe du gestionnaire";
const resetPassword = "encore un autre mot de passe";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Onboarding without the demo seed, in Debian's chromium: a network with two centres and one
 * coordinator (what `passerelle-cloud create-coordinator` makes), an SMTP relay that is a real
 * SMTP server run by the test, and the cloud's e-mails followed as a person would.
 */
describe.skipIf(!chromiumAvailable())(
  "accounts in the console: invitations, reset, disable",
  () => {
    let dataDir: string;
    let cloud: RunningCloud;
    let mailbox: TestMailbox;
    let browser: TestBrowser;
    let base: string;
    let coordinator: Page;
    let manager: Page;

    async function desk(): Promise<BrowserContext> {
      const context = await browser.browser.newContext({
        viewport: { width: 1366, height: 900 },
        locale: "fr-BE",
        timezoneId: "Europe/Brussels",
      });
      context.setDefaultTimeout(10_000);
      return context;
    }

    /** axe on the page as it is, then screenshots at 1366 px and 390 px wide. */
    async function check(page: Page, name: string): Promise<void> {
      expect(await seriousAxeViolations(page), name).toEqual([]);
      await page.setViewportSize({ width: 1366, height: 900 });
      await screenshot(page, `accounts-${name}-1366`);
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, `accounts-${name}-390`);
      expect(await seriousAxeViolations(page), `${name} at 390 px`).toEqual([]);
      await page.setViewportSize({ width: 1366, height: 900 });
    }

    beforeAll(async () => {
      mailbox = new TestMailbox();
      const smtpPort = await mailbox.start();
      const httpPort = await freePort();
      base = `http://127.0.0.1:${httpPort}`;
      dataDir = await mkdtemp(join(tmpdir(), "passerelle-accounts-"));
      cloud = await startCloud({
        dataDir,
        http: { host: "127.0.0.1", port: httpPort },
        broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
        logLevel: "silent",
        publicUrl: base,
        smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: "Passerelle <no-reply@example.org>" },
      });
      const deps = cloud.services.deps;
      const cli = "cli:test";
      for (const [id, name] of [
        ["redu", "Redu – Smart Work Center"],
        ["ciney", "Ciney – Tiers-lieu du Condroz"],
      ] as const) {
        await createCentre(deps, cli, {
          id,
          name,
          timeZone: "Europe/Brussels",
          openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }],
          capacity: 24,
          hourlyRateCents: 450,
        });
      }
      const first = await createUser(deps, cli, {
        email: coordinatorEmail,
        password: firstPassword,
      });
      await grantStaffRole(deps, cli, { userId: first.id, role: "coordinator" });
      browser = await launchBrowser();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await cloud?.stop();
      await mailbox?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it("a coordinator invites a manager; the e-mailed link lets them in, to their centre only", async () => {
      coordinator = await (await desk()).newPage();
      await logIn(coordinator, base, coordinatorEmail, firstPassword);
      await coordinator.getByRole("link", { name: "Équipe et invitations" }).click();
      await coordinator.getByRole("heading", { name: "Inviter une personne" }).waitFor();
      await coordinator.locator("input[name=invite-email]").fill(managerEmail);
      await coordinator.getByLabel("Redu – Smart Work Center").check();
      await coordinator.getByRole("button", { name: "Inviter", exact: true }).click();
      await coordinator.getByText(`Invitation envoyée par e-mail à ${managerEmail}.`).waitFor();
      const copyLink = await coordinator.getByLabel(/Lien d'invitation/).inputValue();
      expect(copyLink).toMatch(new RegExp(`^${base}/accept-invitation\\?token=psi_`));
      await coordinator.getByRole("cell", { name: managerEmail }).waitFor();
      await check(coordinator, "staff");

      const link = await mailbox.linkFor(managerEmail, "/accept-invitation");
      expect(link).toBe(copyLink);
      manager = await (await desk()).newPage();
      await manager.goto(link);
      await manager.getByRole("heading", { name: "Accepter l'invitation" }).waitFor();
      await check(manager, "accept-invitation");
      await manager.getByLabel("Nouveau mot de passe").fill(managerPassword);
      await manager.getByRole("button", { name: "Accepter l'invitation" }).click();
      await manager.getByText(`Votre compte ${managerEmail} est prêt.`).waitFor();
      await manager.getByRole("link", { name: "Aller à la connexion" }).click();
      await logIn(manager, base, managerEmail, managerPassword);
      await manager.getByText("Redu – Smart Work Center").first().waitFor();
      expect(await manager.getByText("Ciney").count()).toBe(0);

      // The same link, once more: refused with the server's words.
      const again = await (await desk()).newPage();
      await again.goto(link);
      await again.getByLabel("Nouveau mot de passe").fill("peu importe le mot de passe");
      await again.getByRole("button", { name: "Accepter l'invitation" }).click();
      await again
        .getByRole("alert")
        .getByText(/already used/)
        .waitFor();
    });

    it("resets a forgotten password through the e-mailed link", async () => {
      const page = await (await desk()).newPage();
      await page.goto(`${base}/login`);
      await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
      await page.getByRole("heading", { name: "Mot de passe oublié" }).waitFor();
      const before = mailbox.mails.length;
      await page.getByLabel("Adresse e-mail").fill(managerEmail);
      await page.getByRole("button", { name: "Envoyer le lien" }).click();
      await page.getByText(/un lien est en route/).waitFor();
      await check(page, "forgot-password");

      const link = await mailbox.linkFor(managerEmail, "/reset-password", before);
      await page.goto(link);
      await page.getByRole("heading", { name: "Nouveau mot de passe" }).waitFor();
      await check(page, "reset-password");
      await page.getByLabel("Nouveau mot de passe").fill(resetPassword);
      await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
      await page.getByText(`Mot de passe changé pour ${managerEmail}.`).waitFor();
      // The reset ended the manager's session: their next request leads to the login page.
      await manager.reload();
      await manager.getByRole("button", { name: "Se connecter" }).waitFor();
      await logIn(manager, base, managerEmail, resetPassword);
    });

    it("shows my account page (change password, sign out everywhere)", async () => {
      await manager.getByRole("link", { name: "Mon compte" }).click();
      await manager.getByRole("heading", { name: "Changer de mot de passe" }).waitFor();
      await check(manager, "account");
      await manager.getByLabel("Mot de passe actuel").fill(resetPassword);
      await manager.getByLabel("Nouveau mot de passe").fill(managerPassword);
      await manager.getByRole("button", { name: "Changer de mot de passe" }).click();
      await manager.getByText("Mot de passe changé.", { exact: false }).waitFor();
      // Still logged in, on the session the change handed back.
      await manager.getByRole("link", { name: "Membres et badges" }).click();
      await manager.getByRole("heading", { name: "Membres et badges" }).waitFor();
    });

    it("a disabled manager is logged out on their next request", async () => {
      await coordinator.reload();
      await coordinator
        .getByRole("button", { name: `Désactiver le compte de ${managerEmail}` })
        .click();
      await coordinator.getByRole("cell", { name: "désactivé" }).waitFor();
      await manager.getByRole("link", { name: "Occupation en direct" }).click();
      await manager.getByRole("button", { name: "Se connecter" }).waitFor();
      expect(new URL(manager.url()).pathname).toBe("/login");
    });
  },
);
