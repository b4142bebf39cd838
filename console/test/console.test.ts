import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  launchBrowser,
  logIn,
  screenshot,
  type TestBrowser,
} from "./support/browser.js";
import {
  annBadgeUid,
  type ConsoleNetwork,
  emails,
  password,
  startConsoleNetwork,
} from "./support/consoleNetwork.js";
import { SimulatedGateway } from "./support/simulatedGateway.js";
import { waitUntil } from "./support/waitUntil.js";

/**
 * The console in Debian's chromium against a running cloud, with a real gateway (in-process,
 * simulated reader and lock) publishing over MQTT to the cloud's broker. The cases run in
 * order on one network: the badge events of one are the access log of the next.
 */
describe.skipIf(!chromiumAvailable())("the web console in a browser", () => {
  let network: ConsoleNetwork;
  let gateway: SimulatedGateway;
  let browser: TestBrowser;
  let base: string;

  const tomorrow = () => {
    const d = new Date(Date.now() + 86_400_000);
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(d);
  };

  const gatewayState = () => network.cloud.services.mqtt.gatewayStatus.get(network.gateway.id);

  async function openAs(email: string, options: { phone?: boolean } = {}): Promise<Page> {
    const context = await browser.person(options);
    const page = await context.newPage();
    await logIn(page, base, email, password);
    return page;
  }

  beforeAll(async () => {
    network = await startConsoleNetwork();
    base = network.cloud.httpUrl;
    gateway = new SimulatedGateway({
      gatewayId: network.gateway.id,
      centre: network.gateway.centreId,
      secret: network.gateway.secret,
      brokerPort: network.cloud.brokerPort,
      publicKeyPem: network.cloud.services.signingKey.publicKeyPem,
    });
    await gateway.start();
    await waitUntil("the gateway online with a bundle", () => {
      const state = gatewayState();
      return state?.online === true && state.bundleVersion !== null;
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await network?.stop();
  });

  it("lets a worker book a desk on a phone and find it in their bookings", async () => {
    const page = await openAs(emails.worker, { phone: true });
    await expect.poll(() => new URL(page.url()).pathname).toBe("/book");
    await page.getByLabel("Centre").selectOption("redu");
    await page.getByLabel("Date").fill(tomorrow());
    await page.getByLabel("Début").fill("09:00");
    await page.getByLabel("Fin").fill("17:00");
    await page.getByRole("button", { name: "Voir les disponibilités" }).click();
    await page.getByRole("button", { name: "Réserver Poste 1" }).click();
    await page.getByRole("status").filter({ hasText: "Réservé : Poste 1" }).waitFor();
    await screenshot(page, "worker-book");

    await page.getByRole("link", { name: "Mes réservations" }).click();
    const bookings = page.getByTestId("my-bookings");
    await expect.poll(() => bookings.textContent()).toContain("Poste 1");
    expect(await bookings.textContent()).toContain("Redu – Smart Work Center");
    await screenshot(page, "worker-bookings");

    const stored = await network.cloud.store.db
      .selectFrom("bookings")
      .select(["resource_id", "status"])
      .where("member_id", "=", network.ann.id)
      .execute();
    expect(stored).toEqual([{ resource_id: "redu-desk-1", status: "confirmed" }]);
    await page.context().close();
  });

  it("moves the manager's live count within a second of a badge at the door", async () => {
    const page = await openAs(emails.manager);
    // A manager of one centre lands on its board.
    await expect.poll(() => new URL(page.url()).pathname).toBe("/board/redu");
    await page.getByText("En direct", { exact: true }).waitFor();
    const count = page.getByTestId("inside-count");
    expect(await count.textContent()).toBe("0");

    const tappedAt = Date.now();
    gateway.tap(annBadgeUid);
    await count.filter({ hasText: /^1$/ }).waitFor({ timeout: 1000 });
    const latencyMs = Date.now() - tappedAt;
    console.info(`console: badge to live count in ${latencyMs} ms`);
    expect(gateway.door.lock.unlockCount()).toBe(1);
    await expect
      .poll(() => page.getByTestId("people-inside").textContent())
      .toContain("Ann Lambert");
    await screenshot(page, "manager-board");
    await page.context().close();
  });

  it("revokes a badge from the member's page; the gateway then denies it", async () => {
    const page = await openAs(emails.manager);
    await page.getByRole("link", { name: "Membres et badges" }).click();
    await page.getByLabel("Nom ou e-mail").fill("Ann");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByRole("link", { name: "Ann Lambert" }).click();
    const badges = page.getByTestId("badges");
    await expect.poll(() => badges.textContent()).toContain("actif");
    await screenshot(page, "manager-member");
    const versionBefore = gatewayState()?.bundleVersion ?? 0;

    // Revoking asks a reason and a confirmation before anything is sent.
    await badges.getByRole("button", { name: "Révoquer" }).click();
    await page
      .getByRole("form", { name: "Révoquer le badge Carte 1" })
      .getByRole("button", { name: "Confirmer la révocation" })
      .click();
    await page.getByRole("status").filter({ hasText: "révoqué" }).waitFor();
    expect(await badges.textContent()).toContain("révoqué");

    // The revocation reaches the gateway as a signed bundle; its next decision is a refusal.
    await waitUntil(
      "the gateway to hold the new bundle",
      () => (gatewayState()?.bundleVersion ?? 0) > versionBefore,
    );
    const unlocksBefore = gateway.door.lock.unlockCount();
    gateway.tap(annBadgeUid);
    await waitUntil("the denied event in the cloud", async () => {
      const denied = await network.cloud.store.db
        .selectFrom("access_events")
        .select("reason")
        .where("decision", "=", "denied")
        .execute();
      return denied.some((row) => row.reason === "revoked");
    });
    expect(gateway.door.lock.unlockCount()).toBe(unlocksBefore);
    await page.context().close();
  });

  it("shows a forced door on the manager's board, and clears it when the door closes", async () => {
    const page = await openAs(emails.manager);
    await page.getByText("En direct", { exact: true }).waitFor();
    await waitUntil("the lock closed again", () => gateway.door.lock.unlocked === false);
    const doors = page.getByRole("region", { name: "Portes" });
    expect(await doors.textContent()).not.toContain("ouverture forcée");

    gateway.door.contact.open();
    await doors.getByText("⚠ ouverture forcée").waitFor();
    expect(await doors.textContent()).toContain("ouverte");
    await screenshot(page, "manager-board-alarm");
    gateway.door.contact.close();
    await expect.poll(() => doors.textContent()).not.toContain("ouverture forcée");
    await page.context().close();
  });

  it("lets a coordinator filter the access log and download it as CSV", async () => {
    const page = await openAs(emails.coordinator);
    await page.getByRole("link", { name: "Journal des accès" }).click();
    const log = page.getByTestId("access-log");
    await expect.poll(() => log.textContent()).toContain("autorisé");
    await page.getByLabel("Décision").selectOption("denied");
    await page.getByRole("button", { name: "Rechercher" }).click();
    // The unfiltered list already shows a revoked badge: wait for the filtered one to replace it.
    await expect
      .poll(async () => {
        const text = (await log.textContent()) ?? "";
        return { revoked: text.includes("badge révoqué"), granted: text.includes("autorisé") };
      })
      .toEqual({ revoked: true, granted: false });
    expect(await log.textContent()).not.toContain("autorisé");
    expect(new URL(page.url()).searchParams.get("outcome")).toBe("denied");
    await screenshot(page, "coordinator-access-log");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Télécharger en CSV" }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain("denied");
    expect(lines[1]).toContain("revoked");
    expect(csv).not.toContain(annBadgeUid);
    await page.context().close();
  });

  it("does not open another centre's board for a manager", async () => {
    // Opened from a link before logging in: the login leads to it, and the API refuses it.
    const page = await (await browser.person()).newPage();
    await page.goto(`${base}/board/ciney`);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Adresse e-mail").fill(emails.manager);
    await page.getByLabel("Mot de passe").fill(password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("alert").filter({ hasText: "Introuvable" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/board/ciney");
    expect(await page.getByTestId("inside-count").count()).toBe(0);
    expect(await page.getByText("Ciney").count()).toBe(0);
    await screenshot(page, "manager-other-centre");
    await page.context().close();
  });
  it("gives a worker their hours, history and calendar link, in French or English", async () => {
    const worker = await openAs(emails.worker, { phone: true });
    for (const [link, name] of [
      ["Mes heures", "worker-hours"],
      ["Mes passages", "worker-history"],
    ] as const) {
      await worker.getByRole("link", { name: link }).click();
      await worker.getByRole("heading", { level: 1 }).waitFor();
      await screenshot(worker, name);
    }
    await expect
      .poll(() => worker.locator("main table").first().textContent())
      .toContain("badge révoqué");
    await worker.getByRole("link", { name: "Mes heures" }).click();
    // Ann's stay at Redu since her badge this morning (test 2) is this month's first session.
    await expect
      .poll(() => worker.getByRole("region", { name: "Heures par centre" }).textContent())
      .toContain("Redu – Smart Work Center");
    // Cancelling asks once more: the first press only arms the button.
    await worker.getByRole("link", { name: "Mes réservations" }).click();
    await worker.getByRole("button", { name: "Annuler la réservation de Poste 1" }).click();
    expect(await worker.getByTestId("my-bookings").textContent()).toContain("Poste 1");
    await worker.getByRole("button", { name: "Confirmer l’annulation de Poste 1" }).click();
    await worker.getByRole("status").filter({ hasText: "Réservation annulée : Poste 1" }).waitFor();
    await expect
      .poll(() => worker.getByTestId("my-bookings").textContent())
      .toContain("Rien à afficher");
    await worker.getByRole("link", { name: "Mon agenda" }).click();
    await worker.getByRole("button", { name: "Créer mon lien d’agenda" }).click();
    const feed = await worker.getByLabel(/Lien d’abonnement/).inputValue();
    expect(feed).toMatch(/\/api\/v1\/calendar\/[^/]+\.ics$/);
    const ics = await fetch(feed);
    expect(await ics.text()).toContain("BEGIN:VCALENDAR");
    await screenshot(worker, "worker-calendar");
    // The language switch re-draws the page in English and is remembered.
    await worker.getByRole("button", { name: "Switch to English" }).click();
    await worker.getByRole("heading", { name: "My calendar" }).waitFor();
    expect(await worker.getAttribute("html", "lang")).toBe("en");
    await worker.reload();
    await worker.getByRole("heading", { name: "My calendar" }).waitFor();
    await worker.context().close();
  });

  it("lets a manager add a resource from the keyboard, see the gateways, register a member and issue a badge", async () => {
    const manager = await openAs(emails.manager);
    await manager.getByRole("link", { name: "Espaces et postes" }).click();
    // Keyboard only: tab to the form's fields, type, and submit with Enter.
    await manager.getByLabel("Nom", { exact: true }).focus();
    await manager.keyboard.type("Salle Lesse");
    await manager.keyboard.press("Tab");
    await manager.keyboard.press("Tab");
    await manager.keyboard.type("6");
    await manager.getByLabel("Type", { exact: true }).selectOption("room");
    await manager.getByLabel("Nom", { exact: true }).press("Enter");
    await manager.getByRole("status").filter({ hasText: "Ajouté : Salle Lesse" }).waitFor();
    await expect.poll(() => manager.locator("main table").textContent()).toContain("Salle Lesse");
    await screenshot(manager, "manager-resources");
    await manager.goto(`${base}/board/redu`);
    await expect.poll(() => manager.getByTestId("gateways").textContent()).toContain("en ligne");
    await manager.getByRole("link", { name: "Membres et badges" }).click();
    await expect.poll(() => manager.locator("main table").textContent()).toContain("Ann Lambert");
    await screenshot(manager, "manager-members");
    // A new member, then their first badge: the UID is sent once and never shown back.
    await manager.getByLabel("Nom", { exact: true }).fill("Chloé Dubois");
    await manager.getByLabel("E-mail", { exact: true }).fill("chloe.dubois@example.org");
    await manager.getByRole("button", { name: "Inscrire un membre" }).click();
    await manager.getByText("Chloé Dubois · chloe.dubois@example.org").waitFor();
    await manager.getByLabel("Identifiant du badge (UID)").fill("04:11:22:33:44:55:66");
    await manager.getByLabel("Libellé").fill("Carte Chloé");
    await manager.getByRole("button", { name: "Remettre un badge" }).click();
    await manager.getByRole("status").filter({ hasText: "Badge remis" }).waitFor();
    const badgesText = (await manager.getByTestId("badges").textContent()) ?? "";
    expect(badgesText).toContain("Carte Chloé");
    expect(badgesText).toContain("actif");
    expect(await manager.content()).not.toMatch(/04:?11:?22:?33/);

    // Ann forgot to badge out: her stay is corrected to an hour, with a reason.
    await manager.getByRole("link", { name: "Membres et badges" }).click();
    await manager.getByRole("link", { name: "Ann Lambert" }).click();
    const sessions = manager.getByTestId("sessions");
    await expect.poll(() => sessions.textContent()).toContain("Redu – Smart Work Center");
    await sessions.getByText("Corriger").first().click();
    await sessions.getByLabel("Minutes facturables").first().fill("60");
    await sessions.getByLabel("Motif").first().fill("Oubli du badge en sortie");
    await sessions.getByRole("button", { name: "Enregistrer" }).first().click();
    await manager.getByRole("status").filter({ hasText: "Présence corrigée" }).waitFor();
    await expect.poll(() => sessions.textContent()).toContain("1 h (corrigé)");
    await screenshot(manager, "manager-member-sessions");
    await manager.context().close();
  });

  it("gives a coordinator the network, the month's hours, settlement and figures, and closes last month", async () => {
    const coordinator = await openAs(emails.coordinator);
    await coordinator.getByRole("link", { name: "Occupation en direct" }).click();
    await expect.poll(() => coordinator.locator("main").textContent()).toContain("Ciney");
    await screenshot(coordinator, "coordinator-board-overview");
    await coordinator.getByRole("link", { name: "Heures et décomptes" }).click();
    await expect
      .poll(() =>
        coordinator.getByRole("region", { name: "Heures par membre et par centre" }).textContent(),
      )
      .toContain("Ann Lambert");
    // Ann's pass is the network's, so her hours at Redu are settled to Redu.
    expect(
      await coordinator.getByRole("region", { name: /^Décompte \(total/ }).textContent(),
    ).toContain("Redu – Smart Work Center");
    expect(
      await coordinator.getByRole("region", { name: "Fréquentation par centre" }).textContent(),
    ).toContain("Redu – Smart Work Center");
    await screenshot(coordinator, "coordinator-reports");

    // Last month is over and open: closing it takes typing its name.
    const [y, m] = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" })
      .format(new Date())
      .split("-")
      .map(Number);
    const lastMonth =
      m === 1 ? `${(y ?? 0) - 1}-12` : `${y}-${String((m ?? 0) - 1).padStart(2, "0")}`;
    await coordinator.getByRole("link", { name: "Clôture du mois" }).click();
    await coordinator.getByText(`${lastMonth} est ouvert`).waitFor();
    await coordinator.getByRole("button", { name: "Clôturer le mois" }).click();
    await coordinator
      .getByRole("alert")
      .filter({ hasText: `Tapez ${lastMonth}` })
      .waitFor();
    await coordinator.getByLabel(`Pour clôturer, tapez ${lastMonth}`).fill(lastMonth);
    await coordinator.getByRole("button", { name: "Clôturer le mois" }).click();
    await coordinator.getByText(`${lastMonth} est clôturé (`).waitFor();
    await screenshot(coordinator, "coordinator-months");
    const closed = await fetch(`${base}/api/v1/months/${lastMonth}`, {
      headers: {
        authorization: `Bearer ${await coordinator.evaluate(() => JSON.parse(localStorage.getItem("passerelle.session") ?? "{}").token)}`,
      },
    });
    expect(((await closed.json()) as { status: string }).status).toBe("closed");
    await coordinator.context().close();
  });
});
