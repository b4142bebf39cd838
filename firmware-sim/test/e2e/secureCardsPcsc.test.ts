import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCredentialSalt, sunVerificationKeys } from "@passerelle/protocol";
import type { MosquittoService } from "@passerelle/testkit";
import { afterAll, describe, expect, it } from "vitest";
import {
  DeviceHub,
  type RunningDeviceServer,
  type SimulatedLock,
  startDeviceServer,
  VpcdCard,
} from "../../src/index.js";
import { NTAG424_ATR, SimulatedNtag424 } from "../../src/nfc/ntag424Card.js";
import {
  bundleFor,
  cloudUser,
  GatewayProcess,
  gatewayId,
  startBroker,
} from "../gateway/integration/gatewayHarness.js";
import { FakeCloud } from "../gateway/support/fakeCloud.js";
import { type PcscdProvision, providePcscd } from "../gateway/support/pcscdHarness.js";
import { waitForEmptySlot } from "../gateway/support/vpcdSlotWatcher.js";

/*
 * Issue 17's first "done when": through the real pcscd with the vpcd driver, a simulated
 * NTAG 424 DNA answers the gateway process's APDUs with a fresh SUN on each tap. The gateway
 * (main.ts, real Mosquitto, a harness playing the cloud) grants it; the same SUN replayed by a
 * clone is denied `credential.replayed`; a clone making up its own SUN `credential.invalid-mac`.
 */
const pcscd: PcscdProvision = await providePcscd();
const SLOT = "Virtual PCD 00 00";

describe.skipIf(!pcscd.available)("NTAG 424 DNA SUN cards at a gateway door (e2e)", () => {
  const directory = mkdtempSync(join(tmpdir(), "e2e-sun-"));
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

  it("grants a fresh SUN, refuses a replayed and a forged one", { timeout: 120_000 }, async () => {
    if (!pcscd.available) return;
    const uidHex = "04C0FFEE123456";
    const uid = Buffer.from(uidHex, "hex");
    const keys = sunVerificationKeys(Buffer.alloc(16, 0x6b), 1);
    const sunKeysFile = join(directory, "sun-keys.json");
    writeFileSync(
      sunKeysFile,
      JSON.stringify({
        version: 1,
        metaReadKey: keys.metaReadKey.toString("hex"),
        fileReadDiversifier: keys.fileReadDiversifier.toString("hex"),
      }),
      { mode: 0o600 },
    );
    const salt = generateCredentialSalt();
    broker = await startBroker(directory);
    const hub = new DeviceHub();
    hub.addDoor("door-1");
    devices = await startDeviceServer(hub, { port: 0 });
    cloud = new FakeCloud();
    await cloud.connect(broker.url, cloudUser);
    const bundle = bundleFor(salt, [uidHex], Date.now());
    bundle.credentials = bundle.credentials.map((c) => ({ ...c, secureCard: true }));
    await cloud.publishBundle(gatewayId, bundle);
    gateway = new GatewayProcess(
      broker.url,
      cloud,
      {
        reader: { adapter: "pcsc", readNdefFile: true },
        doors: [
          {
            id: "door-1",
            contact: { adapter: "sim" },
            exitButton: { adapter: "sim" },
            lock: { adapter: "sim" },
          },
        ],
        simEndpoint: devices.endpoint,
      },
      { secureCards: { sunKeysFile } },
    );
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
      .until(online, "gateway online with its reader connected", 40_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; gateway log:\n${gateway?.log().slice(-3000)}`);
      });

    const lock = hub.get("door-1:lock") as SimulatedLock;
    const accesses = () => (cloud?.events(gatewayId) ?? []).filter((e) => e.type === "access");
    const tap = async (applet: SimulatedNtag424) => {
      const before = accesses().length;
      card = new VpcdCard({ uid, port: pcscd.vpcdPort, atr: NTAG424_ATR, applet });
      await card.present();
      await cloud?.until(() => accesses().length > before, "the access event", 20_000);
      await card.remove();
      await waitForEmptySlot(SLOT, 10_000);
      return accesses().at(-1);
    };

    const genuine = new SimulatedNtag424({ uid, keys, counter: 10 });
    const unlocksBefore = lock.unlockCount();
    expect(await tap(genuine)).toMatchObject({ decision: "granted", reason: "staff" });
    expect(lock.unlockCount()).toBe(unlocksBefore + 1);

    const clone = new SimulatedNtag424({ uid, keys: sunVerificationKeys(Buffer.alloc(16, 1), 1) });
    clone.replayFile = genuine.lastFile;
    expect(await tap(clone)).toMatchObject({ decision: "denied", reason: "credential.replayed" });

    const forger = new SimulatedNtag424({ uid, keys: sunVerificationKeys(Buffer.alloc(16, 2), 1) });
    expect(await tap(forger)).toMatchObject({
      decision: "denied",
      reason: "credential.invalid-mac",
    });

    // The genuine card's next tap, with its next counter, opens again.
    expect(await tap(genuine)).toMatchObject({ decision: "granted" });
    expect(gateway.log()).not.toMatch(new RegExp(uidHex, "i"));
  });
});
