import { createPrivateKey } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createDefaultParts,
  createLogger,
  GatewayApp,
  type PresenceFeed,
  resolveConfig,
} from "@passerelle/gateway";
import {
  credentialHash,
  type FullBundle,
  type GatewayEvent,
  generateCredentialSalt,
  generateSigningKeyPair,
  signFullBundle,
} from "@passerelle/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { DeviceHub } from "../../../src/devices/deviceHub.js";

const directory = mkdtempSync(join(tmpdir(), "gw-exit-reader-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const signing = generateSigningKeyPair();
const salt = generateCredentialSalt();
const uid = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));
const members = ["04a1b2c3d4e5f6", "04a1b2c3d4e5f7", "04a1b2c3d4e5f8"].map(uid);
const stranger = uid("04ffffffffff01");

/** Redu around the clock, three members; its door has a reader inside (`exit-reader`). */
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
        exitKind: "exit-reader",
      },
    ],
    credentials: members.map((card, i) => ({
      hash: credentialHash(card, salt),
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

/** The real GatewayApp and default parts on simulated hardware: a reader each side of the door. */
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
      // Nothing listens there: the doors and the count work offline.
      mqtt: {
        url: "mqtt://127.0.0.1:9",
        password: "unused",
        reconnectMinMs: 30_000,
        reconnectMaxMs: 30_000,
      },
      trustedKeyFiles: [keyFile],
      hardware: {
        reader: { adapter: "sim", id: "reader-1", device: "reader-1" },
        doors: [
          {
            id: "door-1",
            contact: { adapter: "sim", device: "door-1:contact" },
            exitButton: { adapter: "sim", device: "door-1:exit-button" },
            exitReader: { adapter: "sim", id: "reader-2", device: "reader-2" },
            lock: { adapter: "sim", device: "door-1:lock" },
          },
        ],
      },
    },
    {},
  );
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", {
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const events: GatewayEvent[] = [];
  let presence: PresenceFeed | undefined;
  const app = new GatewayApp({
    config,
    logger,
    parts: async (context) => {
      const parts = await createDefaultParts(config, logger, context, { simHub: hub });
      presence = parts.occupancy as PresenceFeed;
      // Every event the app records reaches the presence feed: keep a copy to check.
      const record = presence.record.bind(presence);
      presence.record = (event) => {
        events.push(event);
        record(event);
      };
      return parts;
    },
  });
  await app.start();
  return { app, presence: presence as PresenceFeed, events, lines };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a door with an exit reader, on the real gateway app", () => {
  it("a badge inside is an attributable exit; a stranger's or a second one moves nothing", async () => {
    const hub = new DeviceHub();
    const outside = hub.addReader("reader-1");
    const inside = hub.addReader("reader-2");
    const door = hub.addDoor("door-1");
    const { app, presence, events, lines } = await startGateway(hub);
    const walkThrough = async () => {
      await pause(50);
      door.contact.open();
      await pause(50);
      door.contact.close();
      await pause(150);
    };
    for (const card of members) {
      outside.tap(card);
      await walkThrough();
    }
    expect(presence.sample()).toMatchObject({ headcount: 3, members: ["m-0", "m-1", "m-2"] });
    const unlocksBefore = door.lock.unlockCount();

    // m-0 badges inside: the lock releases, the exit is recorded with its member and door.
    inside.tap(members[0] as Uint8Array);
    await walkThrough();
    expect(door.lock.unlockCount()).toBe(unlocksBefore + 1);
    const exits = events.filter((e) => e.type === "access" && e.direction === "out");
    expect(exits).toMatchObject([
      { door: "door-1", direction: "out", member: "m-0", decision: "granted", reason: "staff" },
    ]);
    // The door cycle after the exit badge is no second exit: 3 − 1 = 2.
    expect(events.some((e) => e.type === "door.exit")).toBe(false);
    expect(presence.sample()).toMatchObject({
      headcount: 2,
      attributed: 2,
      members: ["m-1", "m-2"],
    });

    // A card the bundle does not know, inside: refused, no unlock, no one leaves the count.
    inside.tap(stranger);
    await pause(100);
    expect(door.lock.unlockCount()).toBe(unlocksBefore + 1);
    expect(events.at(-1)).toMatchObject({
      type: "access",
      direction: "out",
      decision: "denied",
      reason: "unknown-badge",
    });
    expect(presence.sample()).toMatchObject({ headcount: 2, attributed: 2 });

    // m-0 again, no longer inside: logged with its rule, the headcount does not move.
    inside.tap(members[0] as Uint8Array);
    await walkThrough();
    expect(presence.sample()).toMatchObject({ headcount: 2, members: ["m-1", "m-2"] });
    expect(lines.filter((line) => line.rule === "exit-not-inside")).toMatchObject([
      { level: 40, member: "m-0", msg: expect.stringContaining("not counted inside") },
    ]);

    // The other two badge out: the count reaches 0, never below.
    for (const card of members.slice(1)) {
      inside.tap(card);
      await walkThrough();
    }
    expect(presence.sample()).toMatchObject({ headcount: 0, attributed: 0, members: [] });
    // No raw UID in any line.
    const text = JSON.stringify(lines);
    for (const card of [...members, stranger]) {
      expect(text).not.toContain(Buffer.from(card).toString("hex"));
    }
    await app.stop();
  }, 30_000);
});
