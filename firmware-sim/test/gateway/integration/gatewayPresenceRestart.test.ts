import { createPrivateKey } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createDefaultParts,
  GatewayApp,
  PresenceFeed,
  resolveConfig,
  silentLogger,
} from "@passerelle/gateway";
import {
  credentialHash,
  type FullBundle,
  generateCredentialSalt,
  generateSigningKeyPair,
  signFullBundle,
} from "@passerelle/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { DeviceHub } from "../../../src/devices/deviceHub.js";

const directory = mkdtempSync(join(tmpdir(), "gw-presence-restart-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const signing = generateSigningKeyPair();
const salt = generateCredentialSalt();
const uids = ["04a1b2c3d4e5f6", "04a1b2c3d4e5f7", "04a1b2c3d4e5f8"].map((hex) =>
  Uint8Array.from(Buffer.from(hex, "hex")),
);

/** Redu around the clock, three members, the door an exit-button door. */
function bundle(): FullBundle {
  return {
    type: "bundle.full",
    centre: "redu",
    version: 1,
    issuedAt: new Date(Date.now() - 60_000).toISOString(),
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    credentialSalt: salt,
    rules: {
      id: "redu",
      name: "Redu",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }],
      closedDates: [],
    },
    doors: [
      {
        id: "door-1",
        name: "Entrée",
        direction: "in",
        zones: ["open-space"],
        exitKind: "exit-button",
      },
    ],
    credentials: uids.map((uid, i) => ({
      hash: credentialHash(uid, salt),
      member: `m-${i}`,
      status: "active",
      doors: ["door-1"],
      windows: [],
      passes: [],
      staff: true,
      offlineStaff: false,
    })),
  };
}

/** The real GatewayApp and default parts, on simulated hardware, with no broker to reach. */
async function startGateway(hub: DeviceHub) {
  const keyFile = join(directory, "cloud.pub.pem");
  writeFileSync(keyFile, signing.publicKeyPem);
  const dataDir = join(directory, "data");
  mkdirSync(join(dataDir, "bundles"), { recursive: true, mode: 0o700 });
  writeFileSync(
    join(dataDir, "bundles", "bundle.full"),
    signFullBundle(bundle(), createPrivateKey(signing.privateKeyPem)),
  );
  const config = resolveConfig(
    {
      gatewayId: "redu-1",
      centre: "redu",
      dataDir,
      // Nothing listens there: the gateway runs offline, as after a restart without network.
      mqtt: {
        url: "mqtt://127.0.0.1:9",
        password: "unused",
        reconnectMinMs: 30_000,
        reconnectMaxMs: 30_000,
      },
      trustedKeyFiles: [keyFile],
      hardware: { adapter: "sim" },
    },
    {},
  );
  let presence: PresenceFeed | undefined;
  const app = new GatewayApp({
    config,
    logger: silentLogger,
    parts: async (context) => {
      const parts = await createDefaultParts(config, silentLogger, context, { simHub: hub });
      presence = parts.occupancy as PresenceFeed;
      return parts;
    },
  });
  await app.start();
  return { app, presence: presence as PresenceFeed };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("gateway presence across a restart of the app (same data directory, real outbox.db)", () => {
  it("counts entries and exit-button exits, and restores the count after a restart", async () => {
    const hub = new DeviceHub();
    const reader = hub.addReader("reader-1");
    const door = hub.addDoor("door-1");
    const first = await startGateway(hub);
    expect(first.presence).toBeInstanceOf(PresenceFeed);
    for (const uid of uids) {
      reader.tap(uid);
      await pause(50);
      door.contact.open();
      await pause(50);
      door.contact.close();
      await pause(50);
    }
    // One person leaves by the button: press, open, close, then the 100 ms debounce.
    door.exitButton.push();
    await pause(50);
    door.contact.open();
    await pause(50);
    door.contact.close();
    await pause(300);
    expect(first.presence.sample()).toMatchObject({
      headcount: 2,
      attributed: 3,
      members: ["m-0", "m-1", "m-2"],
    });
    await first.app.stop();

    const second = await startGateway(hub);
    expect(second.presence.sample()).toMatchObject({
      inside: 2,
      headcount: 2,
      attributed: 3,
      members: ["m-0", "m-1", "m-2"],
    });
    await second.app.stop();
  }, 30_000);
});
