import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@passerelle/testkit";
import { ApiClient } from "../../../src/demo/apiClient.js";
import { CloudChild } from "../../../src/demo/cloudChild.js";
import type { DemoCloudConfig } from "../../../src/demo/demoCloudConfig.js";
import { publicKeyFileName } from "../../../src/demo/demoCloudConfig.js";
import { type DemoManifest, readManifest } from "../../../src/demo/demoManifest.js";
import { pickCentres } from "../../../src/demo/demoNetwork.js";
import { GatewayFleet } from "../../../src/demo/gatewayFleet.js";
import { waitForGateways } from "../../../src/demo/gatewaysReady.js";
import { DeviceHub } from "../../../src/devices/deviceHub.js";
import { type RunningDeviceServer, startDeviceServer } from "../../../src/devices/deviceServer.js";
import { lockBecomes, lockReleased } from "../../../src/doors/doorPassage.js";
import { addEntrance, type SimulatedEntrance } from "../../../src/doors/simulatedEntrance.js";
import { E2eMosquitto } from "./e2eBroker.js";

export type BrokerKind = "embedded" | "mosquitto";

/**
 * The whole network as separate processes on loopback: the demo cloud (forked, SQLite), one
 * gateway process per centre (`gateway/src/main.ts --config`), the simulated entrances on a
 * device server in this process, and either the cloud's embedded broker or a real Mosquitto.
 */
export class E2eNetwork {
  readonly hub = new DeviceHub();
  readonly entrances = new Map<string, SimulatedEntrance>();
  api!: ApiClient;
  manifest!: DemoManifest;
  private devices!: RunningDeviceServer;
  private fleet!: GatewayFleet;
  private mosquitto: E2eMosquitto | undefined;

  private constructor(
    readonly broker: BrokerKind,
    readonly directory: string,
    readonly cloud: CloudChild,
  ) {}

  /** `centres`: how many demo centres, or which ones by id. */
  static async start(
    broker: BrokerKind,
    centres: number | readonly string[] = 2,
    people = 8,
  ): Promise<E2eNetwork> {
    const directory = await mkdtemp(join(tmpdir(), `e2e-${broker}-`));
    const mosquitto = broker === "mosquitto" ? await E2eMosquitto.create() : undefined;
    const config: DemoCloudConfig = {
      dataDir: join(directory, "cloud"),
      httpPort: await freePort(),
      broker: mosquitto
        ? { url: mosquitto.url, ...mosquitto.cloudUser }
        : { embeddedPort: await freePort() },
      logLevel: "info",
      seed: {
        centres: typeof centres === "number" ? pickCentres(centres).map((c) => c.id) : [...centres],
        people,
        seed: "e2e",
        openingHours: "round-the-clock",
        bookingGraceMinutes: 1,
      },
    };
    const network = new E2eNetwork(
      broker,
      directory,
      new CloudChild(config, join(directory, "cloud.log")),
    );
    network.mosquitto = mosquitto;
    const ready = await network.cloud.start();
    const manifest = await readManifest(config.dataDir);
    if (manifest === undefined) throw new Error("no demo manifest after seeding");
    network.manifest = manifest;
    if (mosquitto) {
      // As an operator does (deploy/mosquitto/add-gateway.sh): the provisioned gateways' logins
      // go into the broker's password file, which Mosquitto reads at start.
      for (const centre of manifest.centres)
        await mosquitto.addLogin(centre.gatewayId, centre.gatewaySecret);
      await mosquitto.stop();
      await mosquitto.start();
    }
    for (const centre of manifest.centres) {
      network.entrances.set(
        centre.id,
        addEntrance(network.hub, centre.id, centre.exitKind ?? "exit-button"),
      );
    }
    network.devices = await startDeviceServer(network.hub, { port: 0 });
    network.fleet = new GatewayFleet({
      directory: join(directory, "gateways"),
      brokerUrl: mosquitto?.url ?? `mqtt://127.0.0.1:${ready.brokerPort}`,
      publicKeyFile: join(config.dataDir, publicKeyFileName),
      deviceEndpoint: network.devices.endpoint,
      extra: { outbox: { ackTimeoutMs: 2000, batchSize: 50 } },
    });
    for (const centre of manifest.centres) network.fleet.start(centre);
    await network.gatewaysReady();
    network.api = new ApiClient(ready.httpUrl);
    await network.login();
    return network;
  }

  async login(): Promise<void> {
    const coordinator = this.manifest.logins.find((login) => login.role === "coordinator");
    if (coordinator === undefined) throw new Error("no coordinator login");
    await this.api.login(coordinator.email, coordinator.password);
  }

  async gatewaysReady(timeoutMs = 60_000): Promise<void> {
    const late = await waitForGateways(
      this.cloud,
      this.manifest.centres.map((c) => c.gatewayId),
      timeoutMs,
    );
    if (late.length > 0) throw new Error(`gateways not online with a bundle: ${late.join(", ")}`);
  }

  entrance(centreId: string): SimulatedEntrance {
    const entrance = this.entrances.get(centreId);
    if (entrance === undefined) throw new Error(`no entrance ${centreId}`);
    return entrance;
  }

  /**
   * Taps a card at a centre's entrance; resolves whether the lock released within `patienceMs`,
   * and when the person opened and closed the door behind them.
   */
  async badge(centreId: string, uid: string, patienceMs = 1500): Promise<boolean> {
    const entrance = this.entrance(centreId);
    // The previous person's door must have relocked, or this tap would see their release.
    if (!(await lockBecomes(entrance.door.lock, false, 5000))) {
      throw new Error(`the door of ${centreId} did not relock`);
    }
    const released = lockReleased(entrance.door.lock, patienceMs);
    if (!entrance.reader.tap(Uint8Array.from(Buffer.from(uid, "hex")))) {
      throw new Error(`reader of ${centreId} did not read the card`);
    }
    if (!(await released)) return false;
    entrance.door.contact.open();
    entrance.door.contact.close();
    await lockBecomes(entrance.door.lock, false, 5000);
    return true;
  }

  /**
   * Someone leaves through an exit-button door: the button, the lock releases, the door opens
   * and closes, the lock again. Resolves with the instant the door closed behind them. The next
   * person reaches the door `gapMs` later (a door reopened within 100 ms of closing is contact
   * chatter of the same cycle for the gateway, not a second exit).
   */
  async leaveByButton(centreId: string, openMs = 300, gapMs = 300): Promise<number> {
    const entrance = this.entrance(centreId);
    if (!(await lockBecomes(entrance.door.lock, false, 5000))) {
      throw new Error(`the door of ${centreId} did not relock`);
    }
    const released = lockReleased(entrance.door.lock, 2000);
    entrance.door.exitButton.push();
    if (!(await released)) throw new Error(`the exit button of ${centreId} did not release`);
    entrance.door.contact.open();
    await new Promise((resolve) => setTimeout(resolve, openMs));
    entrance.door.contact.close();
    const closedAt = Date.now();
    await lockBecomes(entrance.door.lock, false, 5000);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
    return closedAt;
  }

  /**
   * Someone leaves through an exit-reader door: a tap on the reader inside, the lock releases,
   * the door opens and closes. Resolves with the instant of the tap (the exit's time).
   */
  async leaveByExitReader(centreId: string, uid: string, openMs = 300): Promise<number> {
    const entrance = this.entrance(centreId);
    const reader = entrance.exitReader;
    if (reader === undefined) throw new Error(`the door of ${centreId} has no exit reader`);
    if (!(await lockBecomes(entrance.door.lock, false, 5000))) {
      throw new Error(`the door of ${centreId} did not relock`);
    }
    const released = lockReleased(entrance.door.lock, 2000);
    const tappedAt = Date.now();
    if (!reader.tap(Uint8Array.from(Buffer.from(uid, "hex")))) {
      throw new Error(`exit reader of ${centreId} did not read the card`);
    }
    if (!(await released)) throw new Error(`the exit reader of ${centreId} did not release`);
    entrance.door.contact.open();
    await new Promise((resolve) => setTimeout(resolve, openMs));
    entrance.door.contact.close();
    await lockBecomes(entrance.door.lock, false, 5000);
    return tappedAt;
  }

  async stopBroker(): Promise<void> {
    if (this.mosquitto) await this.mosquitto.stop();
    else await this.cloud.stop();
  }

  async startBroker(): Promise<void> {
    if (this.mosquitto) await this.mosquitto.start();
    else await this.restartCloud();
  }

  async restartCloud(): Promise<void> {
    await this.cloud.start();
    await this.login();
  }

  async stop(): Promise<void> {
    await this.fleet?.stopAll();
    await this.devices?.close();
    await this.cloud.stop();
    await this.mosquitto?.remove();
    await rm(this.directory, { recursive: true, force: true });
  }
}
