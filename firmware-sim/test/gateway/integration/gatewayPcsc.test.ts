import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCredentialSalt } from "@passerelle/protocol";
import type { MosquittoService } from "@passerelle/testkit";
import { afterAll, describe, expect, it } from "vitest";
import {
  DeviceHub,
  type RunningDeviceServer,
  type SimulatedLock,
  startDeviceServer,
  VpcdCard,
} from "../../../src/index.js";
import { FakeCloud } from "../support/fakeCloud.js";
import { type PcscdProvision, providePcscd } from "../support/pcscdHarness.js";
import { bundleFor, cloudUser, GatewayProcess, gatewayId, startBroker } from "./gatewayHarness.js";

/*
 * The whole real stack at the door: a virtual card speaking vpcd's protocol to a real pcscd, read
 * by nfc-pcsc inside the gateway process, which decides, pulses the (simulated) relay, and
 * reports over a real Mosquitto with the project's ACL to a harness playing the cloud.
 */
const pcscd: PcscdProvision = await providePcscd();

describe.skipIf(!pcscd.available)("gateway process with a real PC/SC reader", () => {
  const directory = mkdtempSync(join(tmpdir(), "gw-pcsc-"));
  let broker: MosquittoService | undefined;
  let devices: RunningDeviceServer | undefined;
  let cloud: FakeCloud | undefined;
  let gateway: GatewayProcess | undefined;
  let card: VpcdCard | undefined;

  afterAll(async () => {
    await card?.remove().catch(() => undefined);
    await gateway?.kill("SIGTERM");
    await cloud?.close();
    await devices?.close();
    await broker?.stop();
    if (pcscd.available) await pcscd.stop();
  });

  it("badge through pcscd → grant → relay pulse → event acked", { timeout: 90_000 }, async () => {
    if (!pcscd.available) return;
    const salt = generateCredentialSalt();
    broker = await startBroker(directory);
    const hub = new DeviceHub();
    hub.addDoor("door-1");
    devices = await startDeviceServer(hub, { port: 0 });
    cloud = new FakeCloud();
    await cloud.connect(broker.url, cloudUser);
    await cloud.publishBundle(gatewayId, bundleFor(salt, ["04A1B2C3D4E5F6"], Date.now()));
    gateway = new GatewayProcess(broker.url, cloud, {
      reader: { adapter: "pcsc" },
      doors: [
        {
          id: "door-1",
          contact: { adapter: "sim" },
          exitButton: { adapter: "sim" },
          lock: { adapter: "sim" },
        },
      ],
      simEndpoint: devices.endpoint,
    });
    gateway.start();
    const online = () => {
      const status = cloud?.statuses.get(gatewayId);
      return (
        status?.state === "online" &&
        status.bundleVersion !== null &&
        status.readers[0]?.state === "connected"
      );
    };
    await cloud
      .until(online, "gateway online with its reader connected", 30_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; gateway log:\n${gateway?.log().slice(-3000)}`);
      });

    const lock = hub.get("door-1:lock") as SimulatedLock;
    const before = lock.unlockCount();
    card = new VpcdCard({ uid: Buffer.from("04A1B2C3D4E5F6", "hex"), port: pcscd.vpcdPort });
    await card.present();
    await cloud.until(
      () => (cloud?.events(gatewayId) ?? []).some((e) => e.type === "access"),
      "the access event",
      20_000,
    );
    const access = cloud.events(gatewayId).find((e) => e.type === "access");
    expect(access).toMatchObject({ decision: "granted", reason: "staff", door: "door-1" });
    expect(lock.unlockCount()).toBe(before + 1);
    await cloud.until(() => {
      const status = cloud?.statuses.get(gatewayId);
      return status?.state === "online" && status.outbox.depth === 0;
    }, "the event acked");
    expect(gateway.log()).not.toMatch(/04A1B2C3D4E5F6/i);
  });
});
