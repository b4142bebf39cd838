import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createCentre,
  createDoor,
  createMember,
  createPass,
  issueBadge,
  provisionGateway,
  type RunningCloud,
  startCloud,
} from "@passerelle/cloud";
import {
  type BadgePresentation,
  createDefaultParts,
  GatewayApp,
  resolveConfig,
  silentLogger,
} from "@passerelle/gateway";
import { ndefFileForUri, sunVerificationKeys } from "@passerelle/protocol";
import { isCi, provideService, serviceOf } from "@passerelle/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { DeviceHub } from "../../../src/devices/deviceHub.js";
import { SimulatedNtag424 } from "../../../src/nfc/ntag424Card.js";

/*
 * Issue 17, "counters seen offline reach the cloud with the events, and the cloud keeps the
 * highest per card, so a replay at another centre is refused after the next bundle": the real
 * cloud (SQLite, then PostgreSQL) with its embedded broker, and two real gateway apps at two
 * centres. The card's reads come through a reader port that presents what the PC/SC adapter
 * reads from an NTAG 424 DNA (its NDEF file); the APDU path itself is covered through pcscd
 * in test/e2e/secureCardsPcsc.test.ts.
 */
const postgres = await provideService("postgres");
if (!postgres.available && isCi(process.env)) {
  throw new Error(`PostgreSQL is missing (${postgres.reason}); CI: a missing service fails`);
}

const admin = "user:admin";
const allDay = [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }];
const networkKey = Buffer.alloc(16, 0x5c);
const keys = sunVerificationKeys(networkKey, 1);
const uidHex = "04A5C0FFEE1234";
const uid = Buffer.from(uidHex, "hex");

/** A reader port that presents given card reads (readerId "reader-1", as the config's). */
class PresentingReader {
  readonly id = "reader-1";
  readonly #listeners = new Set<(presentation: BadgePresentation) => void>();
  async start() {}
  async stop() {}
  status() {
    return { readerId: this.id, state: "connected" as const };
  }
  onBadge(listener: (presentation: BadgePresentation) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  onStatus() {
    return () => {};
  }
  present(file: Buffer) {
    const presentation = { readerId: this.id, uid, at: Date.now(), ndefFile: { ok: true, file } };
    for (const listener of this.#listeners) listener(presentation as BadgePresentation);
  }
}

const engines = [
  { engine: "sqlite", available: true, url: undefined as string | undefined },
  {
    engine: "postgres",
    available: postgres.available,
    url: postgres.available ? serviceOf(postgres).url : undefined,
  },
];

describe.each(engines)("SUN read counters across two centres [$engine]", ({ available, url }) => {
  const directory = mkdtempSync(join(tmpdir(), "sun-counters-"));
  let cloud: RunningCloud | undefined;
  const apps: GatewayApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.stop().catch(() => undefined);
    await cloud?.stop();
    if (url !== undefined) await serviceOf(postgres).stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it.skipIf(!available)(
    "a SUN used at centre A is refused at centre B after B's next bundle",
    { timeout: 60_000 },
    async () => {
      cloud = await startCloud({
        dataDir: join(directory, "cloud"),
        ...(url === undefined ? {} : { postgresUrl: url }),
        http: { host: "127.0.0.1", port: 0 },
        broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
        logLevel: "silent",
      });
      const deps = cloud.services.deps;
      const secrets = new Map<string, string>();
      for (const id of ["ctr-a", "ctr-b"]) {
        await createCentre(deps, admin, {
          id,
          name: id,
          timeZone: "Europe/Brussels",
          openingHours: allDay,
          capacity: 10,
          hourlyRateCents: 400,
        });
        const gateway = await provisionGateway(deps, admin, { id: `${id}-gw`, centreId: id });
        secrets.set(id, gateway.secret);
        await createDoor(deps, admin, {
          id: `${id}-door`,
          centreId: id,
          gatewayId: `${id}-gw`,
          name: "Entrance",
          direction: "in",
        });
      }
      const member = await createMember(deps, admin, {
        name: "Sun Card",
        email: "sun@example.org",
      });
      await createPass(deps, admin, {
        memberId: member.id,
        kind: "network",
        validFrom: Date.now() - 86_400_000,
        validTo: Date.now() + 30 * 86_400_000,
      });
      await issueBadge(deps, admin, {
        memberId: member.id,
        uid: uidHex,
        credentialKind: "ntag424-sun",
      });

      const keyFile = join(directory, "cloud.pub.pem");
      writeFileSync(keyFile, cloud.services.signingKey.publicKeyPem);
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
      const readers = new Map<string, PresentingReader>();
      const locks = new Map<string, { unlockCount(): number }>();
      for (const centre of ["ctr-a", "ctr-b"]) {
        const config = resolveConfig(
          {
            gatewayId: `${centre}-gw`,
            centre,
            dataDir: join(directory, centre),
            logLevel: "error",
            mqtt: {
              url: `mqtt://127.0.0.1:${cloud.brokerPort}`,
              password: secrets.get(centre),
              reconnectMinMs: 200,
              reconnectMaxMs: 1000,
            },
            trustedKeyFiles: [keyFile],
            hardware: {
              reader: { adapter: "sim" },
              doors: [
                {
                  id: `${centre}-door`,
                  contact: { adapter: "sim" },
                  exitButton: { adapter: "sim" },
                  lock: { adapter: "sim" },
                },
              ],
            },
            secureCards: { sunKeysFile },
          },
          {},
        );
        mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
        const hub = new DeviceHub();
        hub.addReader("reader-1");
        const door = hub.addDoor(`${centre}-door`);
        locks.set(centre, door.lock);
        const reader = new PresentingReader();
        readers.set(centre, reader);
        const app = new GatewayApp({
          config,
          logger: silentLogger,
          parts: async (context) => {
            const parts = await createDefaultParts(config, silentLogger, context, {
              simHub: hub,
            });
            return { ...parts, hardware: { ...parts.hardware, reader } };
          },
        });
        await app.start();
        apps.push(app);
      }

      const running = cloud;
      const db = running.store.db;
      const latestVersion = async (centre: string) =>
        Number(
          (
            await db
              .selectFrom("bundle_versions")
              .select(db.fn.max("version").as("version"))
              .where("centre_id", "=", centre)
              .executeTakeFirst()
          )?.version ?? 0,
        );
      /** The gateway told the cloud it holds the centre's latest bundle. */
      const holdsLatest = async (centre: string) => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const version = await latestVersion(centre);
          const held = running.services.mqtt.gatewayStatus.get(`${centre}-gw`);
          if (version > 0 && held?.online === true && held.bundleVersion === version) return;
          if (Date.now() > deadline) {
            throw new Error(`${centre}: gateway holds ${held?.bundleVersion}, latest ${version}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const accessEvents = async (centre: string) =>
        db
          .selectFrom("access_events")
          .select(["decision", "reason", "seq"])
          .where("centre_id", "=", centre)
          .where("type", "=", "access")
          .orderBy("seq")
          .execute();
      const nextDecision = async (centre: string, file: Buffer) => {
        const before = (await accessEvents(centre)).length;
        (readers.get(centre) as PresentingReader).present(file);
        const deadline = Date.now() + 15_000;
        for (;;) {
          const rows = await accessEvents(centre);
          if (rows.length > before) return rows.at(-1);
          if (Date.now() > deadline)
            throw new Error(`${centre}: no access event reached the cloud`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const storedCounter = async () =>
        (
          await db
            .selectFrom("badges")
            .select("read_counter")
            .where("member_id", "=", member.id)
            .executeTakeFirst()
        )?.read_counter;

      await holdsLatest("ctr-a");
      await holdsLatest("ctr-b");
      const card = new SimulatedNtag424({ uid, keys, counter: 40 });
      const sun41 = ndefFileForUri(card.sunUrl(41));
      const sun42 = ndefFileForUri(card.sunUrl(42));

      // Centre A: the genuine tap opens, and its counter reaches the cloud with the event.
      expect(await nextDecision("ctr-a", sun41)).toMatchObject({ decision: "granted" });
      expect(locks.get("ctr-a")?.unlockCount()).toBe(1);
      expect(Number(await storedCounter())).toBe(41);

      // Centre B's next bundle (any compilation: a rule change there, or the hourly refresh).
      const bVersion = await latestVersion("ctr-b");
      running.services.bus.emit("accessRules.changed", { centreIds: ["ctr-b"] });
      const deadline = Date.now() + 10_000;
      while ((await latestVersion("ctr-b")) === bVersion) {
        if (Date.now() > deadline) throw new Error("centre B got no new bundle");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await holdsLatest("ctr-b");

      // Centre B, after that bundle: the SUN read at A is a replay; the door stays locked.
      expect(await nextDecision("ctr-b", sun41)).toMatchObject({
        decision: "denied",
        reason: "credential.replayed",
      });
      expect(locks.get("ctr-b")?.unlockCount()).toBe(0);
      // The card's next genuine read opens at B, and the cloud keeps the highest counter.
      expect(await nextDecision("ctr-b", sun42)).toMatchObject({ decision: "granted" });
      expect(locks.get("ctr-b")?.unlockCount()).toBe(1);
      expect(Number(await storedCounter())).toBe(42);
      // Counter 41 arriving late at the cloud (replayed at A, refused there) lowers nothing.
      expect(await nextDecision("ctr-a", sun41)).toMatchObject({ reason: "credential.replayed" });
      expect(Number(await storedCounter())).toBe(42);
    },
  );
});
