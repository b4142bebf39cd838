import { setTimeout as sleep } from "node:timers/promises";
import { uuidv7 } from "@passerelle/protocol";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousAxeViolations } from "./support/axeCheck.js";
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
 * Doors from the console (issue 16, parts 2 and 3), against the real gateway (GatewayApp with
 * firmware-sim's reader, contact and lock on an in-process hub) connected to the real cloud's
 * embedded broker: a manager's remote unlock moves the simulated lock; a lockdown reaches the
 * gateway in its signed bundle and refuses a pass holder; a door opened while locked raises a
 * forced-open alarm on the board, acknowledged there with a note.
 */
describe.skipIf(!chromiumAvailable())("doors, lockdown and alarms in the console", () => {
  let network: ConsoleNetwork;
  let gateway: SimulatedGateway;
  let browser: TestBrowser;
  let base: string;

  async function openAs(email: string): Promise<Page> {
    const context = await browser.person();
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await logIn(page, base, email, password);
    return page;
  }

  /** axe on the page as it is, then screenshots at 1366 px and 390 px wide (axe again). */
  async function check(page: Page, name: string): Promise<void> {
    expect(await seriousAxeViolations(page), name).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 900 });
    await screenshot(page, `doors-${name}-1366`);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, `doors-${name}-390`);
    expect(await seriousAxeViolations(page), `${name} at 390 px`).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 900 });
  }

  /** The access decision the gateway reported for Ann's badge from `after` on, once stored. */
  async function annsLatestDecision(after: number) {
    for (let attempt = 0; attempt < 75; attempt += 1) {
      const [row] = await network.cloud.store.db
        .selectFrom("access_events")
        .select(["decision", "reason"])
        .where("type", "=", "access")
        .where("member_id", "=", network.ann.id)
        .where("time", ">=", after)
        .orderBy("seq", "desc")
        .execute();
      if (row !== undefined) return row;
      await sleep(200);
    }
    throw new Error("Ann's badge decision was not stored");
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
      const state = network.cloud.services.mqtt.gatewayStatus.get(network.gateway.id);
      return state?.online === true && state.bundleVersion !== null;
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await network?.stop();
  });

  it("lets a manager unlock a door remotely: the simulated gateway's lock moves", async () => {
    const page = await openAs(emails.manager);
    await page.getByRole("link", { name: "Portes" }).click();
    await page.getByTestId("doors").getByText("Entrée principale").waitFor();
    await page.getByTestId("gateway-admin").getByText("en ligne").waitFor();
    await check(page, "manager");

    // A second gateway and its door, as a manager onboards them: the secret is shown once.
    const provision = page.getByRole("form", { name: "Ajouter une passerelle" });
    await provision.getByLabel("Identifiant").fill("redu-gw-2");
    await provision.getByLabel("Nom").fill("Jardin");
    await provision.getByRole("button", { name: "Ajouter une passerelle" }).click();
    const once = page.getByTestId("gateway-credentials");
    await once.getByText("affichée une seule fois").waitFor();
    const secret = (await once.getByTestId("secret").textContent()) ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(20);
    const config = JSON.parse((await once.locator("pre").textContent()) ?? "{}");
    expect(config).toMatchObject({
      gatewayId: "redu-gw-2",
      centre: "redu",
      mqtt: { password: secret },
      trustedKeyFiles: ["/etc/passerelle/cloud-signing.pub.pem"],
    });
    await check(page, "gateway-provisioned");
    await once.getByRole("button", { name: "C'est noté, masquer" }).click();
    expect(await page.getByText(secret).count()).toBe(0);
    const doorForm = page.getByRole("form", { name: "Ajouter une porte" });
    await doorForm.getByLabel("Nom").fill("Porte du jardin");
    await doorForm.getByLabel("Sortie").selectOption("free-egress");
    await doorForm.getByLabel("Ouverte au plus").fill("45");
    await doorForm.getByLabel("Passerelle").selectOption("redu-gw-2");
    await doorForm.getByLabel("Donne accès à").selectOption(["redu-room-a"]);
    await doorForm.getByRole("button", { name: "Ajouter une porte" }).click();
    const added = page.getByTestId("doors").getByRole("row", { name: /Porte du jardin/ });
    await added.waitFor();
    expect(await added.textContent()).toContain("45 s");
    expect(await added.textContent()).toContain("sortie libre");
    expect(await added.textContent()).toContain("Salle Semois");

    const lock = gateway.door.lock;
    const releases = lock.unlockCount();
    const form = page.getByRole("form", { name: "Ouvrir à distance : Entrée principale" });
    await form.getByLabel("Secondes").fill("3");
    await form.getByLabel("Motif").fill("livraison de chaises");
    await form.getByRole("button", { name: "Ouvrir" }).click();
    await page.getByRole("status").filter({ hasText: "ouverture demandée pour 3 s" }).waitFor();
    await waitUntil("the lock released by the remote unlock", () => lock.unlocked === true, 3000);
    expect(lock.unlockCount()).toBe(releases + 1);
    await waitUntil("the lock back after 3 s", () => lock.unlocked === false, 6000);

    // Beyond the maximum: the browser's own check stops it; the API says the same (400).
    await form.getByLabel("Secondes").fill("600");
    await form.getByLabel("Motif").fill("tout l'après-midi");
    await form.getByRole("button", { name: "Ouvrir" }).click();
    expect(
      await form.getByLabel("Secondes").evaluate((e) => (e as HTMLInputElement).validity.valid),
    ).toBe(false);
    await page.context().close();
    expect(lock.unlockCount()).toBe(releases + 1);
  });

  it("refuses another centre's manager, and the gateway refuses an expired command and an unknown door", async () => {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: emails.otherManager, password }),
    });
    const { token } = (await login.json()) as { token: string };
    const refused = await fetch(`${base}/api/v1/doors/door-1/remote-unlock`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ seconds: 5, reason: "pas mon centre" }),
    });
    expect(refused.status).toBe(404);

    const lock = gateway.door.lock;
    const releases = lock.unlockCount();
    const now = Date.now();
    const command = {
      type: "command" as const,
      gateway: network.gateway.id,
      action: "unlock" as const,
      durationMs: 5000,
      issuedBy: "test",
    };
    // Signed with the cloud's real key: only its lifetime (or its door) is wrong.
    await network.cloud.services.mqtt.commands.send({
      ...command,
      id: uuidv7(now),
      door: "door-1",
      issuedAt: new Date(now - 120_000).toISOString(),
      expiresAt: new Date(now - 60_000).toISOString(),
    });
    await network.cloud.services.mqtt.commands.send({
      ...command,
      id: uuidv7(now + 1),
      door: "door-9",
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 60_000).toISOString(),
    });
    let details: (string | null)[] = [];
    await waitUntil("both refusals reported by the gateway", async () => {
      details = (
        await network.cloud.store.db
          .selectFrom("access_events")
          .select("detail")
          .where("type", "=", "command.rejected")
          .execute()
      ).map((row) => row.detail);
      return details.length >= 2;
    });
    expect(details).toEqual(
      expect.arrayContaining(["command.expired", expect.stringContaining("unknown door")]),
    );
    expect(lock.unlockCount()).toBe(releases);
  });

  it("carries a lockdown to the gateway: a pass holder is refused until it is lifted", async () => {
    const page = await openAs(emails.manager);
    await page.goto(`${base}/doors`);
    const card = page.getByTestId("lockdown");
    await card.getByText("Pas de confinement").waitFor();
    page.once("dialog", (dialog) => void dialog.accept());
    await card.getByLabel("Motif").fill("intrusion signalée");
    await card.getByRole("button", { name: "Confiner le centre" }).click();
    await card.getByText(/Confinement en cours depuis/).waitFor();
    await check(page, "lockdown");
    await waitUntil("the gateway holding the lockdown bundle", () => {
      const published = (
        network.cloud.services.mqtt as unknown as {
          bundles: { latest(id: string): { version: number; rules: { lockdown?: boolean } } };
        }
      ).bundles.latest("redu");
      const held = network.cloud.services.mqtt.gatewayStatus.get(network.gateway.id);
      return published?.rules.lockdown === true && held?.bundleVersion === published.version;
    });
    let since = Date.now();
    gateway.tap(annBadgeUid);
    expect(await annsLatestDecision(since)).toEqual({ decision: "denied", reason: "lockdown" });

    await card.getByLabel("Motif").fill("fausse alerte");
    await card.getByRole("button", { name: "Lever le confinement" }).click();
    await card.getByText("Pas de confinement").waitFor();
    await waitUntil("the gateway holding the lifted bundle", () => {
      const published = (
        network.cloud.services.mqtt as unknown as {
          bundles: { latest(id: string): { version: number; rules: { lockdown?: boolean } } };
        }
      ).bundles.latest("redu");
      const held = network.cloud.services.mqtt.gatewayStatus.get(network.gateway.id);
      return published?.rules.lockdown === undefined && held?.bundleVersion === published.version;
    });
    since = Date.now();
    gateway.tap(annBadgeUid);
    expect(await annsLatestDecision(since)).toEqual({ decision: "granted", reason: "pass" });
    await page.context().close();
  });

  it("shows a forced-open alarm on the board as it happens, and takes its acknowledgement", async () => {
    // Let the lock relock and the door settle after the earlier grants.
    await waitUntil("the lock relocked", () => gateway.door.lock.unlocked === false, 8000);
    const page = await openAs(emails.manager);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/board/redu");
    await page.getByText("Aucune alarme en attente.").waitFor();

    const openedAt = Date.now();
    gateway.door.contact.open();
    const alarm = page.getByTestId("alarms").locator('[data-kind="forced-open"]');
    await alarm.waitFor({ timeout: 1000 });
    console.info(`console: door forced to alarm on the board in ${Date.now() - openedAt} ms`);
    expect(await alarm.textContent()).toContain("Porte forcée");
    expect(await alarm.textContent()).toContain("Entrée principale");
    gateway.door.contact.close();
    await alarm.getByText(/terminée à/).waitFor();
    await check(page, "board-alarm");

    await alarm.getByLabel("Note (ce qui a été fait)").fill("vérifié sur place : vent");
    await alarm.getByRole("button", { name: "Prendre en compte" }).click();
    await page.getByRole("status").filter({ hasText: "Alarme prise en compte." }).waitFor();
    await page.getByText("Aucune alarme en attente.").waitFor();

    await page.getByRole("link", { name: "Historique des alarmes" }).click();
    const history = page.getByTestId("alarm-history");
    await history.getByText("vérifié sur place : vent").waitFor();
    await check(page, "alarm-history");
    const stored = await network.cloud.store.db
      .selectFrom("alarms")
      .selectAll()
      .where("kind", "=", "forced-open")
      .executeTakeFirstOrThrow();
    expect(stored.acknowledged_by).toMatch(/^user:/);
    expect(stored.note).toBe("vérifié sur place : vent");
    await page.context().close();
  });
});
