import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EventOutbox } from "@passerelle/gateway";
import {
  type DeltaBundle,
  generateCredentialSalt,
  signDeltaBundle,
  uuidv7,
} from "@passerelle/protocol";
import { findExecutable, type MosquittoService } from "@passerelle/testkit";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DeviceHub,
  type RunningDeviceServer,
  type SimulatedLock,
  type SimulatedReader,
  startDeviceServer,
} from "../../../src/index.js";
import { FakeCloud } from "../support/fakeCloud.js";
import { bundleFor, cloudUser, GatewayProcess, gatewayId, startBroker } from "./gatewayHarness.js";

/*
 * The gateway as a separate process (`main.ts --config`), a real Mosquitto with the project's
 * ACL (deploy/mosquitto/acl) and password entries, a test harness playing the cloud (signed
 * bundles, dedupe on seq, acks), and firmware-sim's devices over TCP (the "sim" adapters).
 */
const mosquittoMissing = findExecutable("mosquitto", process.env, ["/usr/sbin"]) === undefined;
if (mosquittoMissing && (process.env.CI === "true" || process.env.CI === "1")) {
  throw new Error("mosquitto is missing; CI=true: a missing service fails the run");
}
if (mosquittoMissing)
  console.warn(
    "PASSERELLE: mosquitto missing, gateway process tests SKIPPED (apt-get install mosquitto)",
  );

const uid = (i: number) => Buffer.from((0x04a10000 + i).toString(16).padStart(8, "0"), "hex");
const uids = Array.from({ length: 60 }, (_, i) => uid(i).toString("hex").toUpperCase());

describe.skipIf(mosquittoMissing)("gateway process over real MQTT", () => {
  const directory = mkdtempSync(join(tmpdir(), "gw-it-"));
  const salt = generateCredentialSalt();
  let broker: MosquittoService;
  let cloud: FakeCloud;
  let hub: DeviceHub;
  let devices: RunningDeviceServer;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    broker = await startBroker(directory);
    hub = new DeviceHub();
    hub.addReader("reader-1");
    hub.addDoor("door-1");
    devices = await startDeviceServer(hub, { port: 0 });
  });
  afterAll(async () => {
    await devices?.close();
    await broker?.stop();
  });

  async function freshCloudAndGateway(
    extra: Record<string, unknown> = {},
    beforeStart: (dataDir: string) => void = () => undefined,
  ) {
    cloud = new FakeCloud();
    await cloud.connect(broker.url, cloudUser);
    await cloud.publishBundle(gatewayId, bundleFor(salt, uids, Date.now()));
    gateway = new GatewayProcess(
      broker.url,
      cloud,
      { adapter: "sim", endpoint: devices.endpoint },
      extra,
    );
    beforeStart(join(gateway.directory, "data"));
    gateway.start();
    await cloud.until(
      () => cloud.statuses.get(gatewayId)?.state === "online" && bundleVersionOf(cloud) !== null,
      "gateway online with its bundle",
    );
  }
  const bundleVersionOf = (c: FakeCloud) => {
    const status = c.statuses.get(gatewayId);
    return status?.state === "online" ? status.bundleVersion : null;
  };
  const reader = () => hub.get("reader-1") as SimulatedReader;
  const lock = () => hub.get("door-1:lock") as SimulatedLock;
  const accessEvents = () => cloud.events(gatewayId).filter((e) => e.type === "access");

  afterEach(async () => {
    await gateway?.kill("SIGTERM");
    await cloud?.close();
  });

  it("badge → grant → relay pulse → event stored and acked", async () => {
    await freshCloudAndGateway();
    const unlocksBefore = lock().unlockCount();
    reader().tap(uid(1));
    await cloud.until(() => accessEvents().length === 1, "the access event");
    expect(lock().unlockCount()).toBe(unlocksBefore + 1);
    expect(accessEvents()[0]).toMatchObject({
      decision: "granted",
      reason: "staff",
      door: "door-1",
      member: "m-1",
    });
    // Unknown badge: denied, no pulse, reported all the same.
    reader().tap(Buffer.from("0BADBADB", "hex"));
    await cloud.until(() => accessEvents().length === 2, "the denial");
    expect(accessEvents()[1]).toMatchObject({ decision: "denied", reason: "unknown-badge" });
    expect(lock().unlockCount()).toBe(unlocksBefore + 1);
    // Acked: the outbox drains to zero in the retained status.
    await cloud.until(() => {
      const status = cloud.statuses.get(gatewayId);
      return status?.state === "online" && status.outbox.depth === 0;
    }, "an empty outbox");
    expect(gateway.log()).not.toMatch(/04A10001/i);
  });

  it("refuses malformed, forged and oversized messages, logs them, and keeps the door working", async () => {
    await freshCloudAndGateway();
    await cloud.publishRaw(gatewayId, "ack", Buffer.from("{ not json"));
    await cloud.publishRaw(gatewayId, "ack", Buffer.from(JSON.stringify({ upToSeq: -3 })));
    await cloud.publishRaw(
      gatewayId,
      "bundleDelta",
      Buffer.from("garbage that is no signed delta"),
    );
    await cloud.publishRaw(gatewayId, "command", Buffer.alloc(2 * 1024 * 1024, 0x41));
    await cloud.publishRaw(gatewayId, "command", Buffer.from("forged command"));
    const unlocksBefore = lock().unlockCount();
    reader().tap(uid(2));
    await cloud.until(
      () => accessEvents().some((e) => e.member === "m-2"),
      "an access after the bad input",
    );
    expect(lock().unlockCount()).toBe(unlocksBefore + 1);
    await cloud.until(
      () => cloud.events(gatewayId).filter((e) => e.type === "command.rejected").length >= 1,
      "the refused command reported",
    );
    const log = gateway.log();
    expect(log).toContain("malformed ack refused");
    expect(log).toContain("inbound message refused"); // the oversized one, before any parsing
    expect(log).toContain("bundle refused");
  });

  it("keeps deciding while the broker is down, then delivers every event once", async () => {
    await freshCloudAndGateway();
    const port = broker.port;
    await broker.stop();
    const unlocksBefore = lock().unlockCount();
    for (let i = 0; i < 10; i += 1) {
      reader().tap(uid(i));
      await sleep(150);
    }
    // Decisions went on offline: every grant pulsed the lock (pulses may merge, never vanish).
    expect(lock().unlockCount()).toBeGreaterThan(unlocksBefore);
    broker = await startBroker(directory, port);
    await cloud.until(
      () => accessEvents().length === 10,
      "ten access events after the outage",
      30_000,
    );
    const seqs = cloud.events(gatewayId).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(new Set(cloud.events(gatewayId).map((e) => e.id)).size).toBe(seqs.length);
  });

  it("loses and duplicates nothing when killed with SIGKILL in the middle of a burst", async () => {
    await freshCloudAndGateway();
    const burst = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 1) {
        reader().tap(uid(i));
        await sleep(20);
      }
    };
    const tapping = burst(0, 40);
    await sleep(300);
    await gateway.kill("SIGKILL");
    await tapping;
    gateway.start(); // same data directory: the outbox and the bundle on disk
    await cloud.until(
      () => cloud.statuses.get(gatewayId)?.state === "online",
      "the restarted gateway",
      20_000,
    );
    await burst(100 % uids.length, 5);
    await cloud.until(
      () => {
        const status = cloud.statuses.get(gatewayId);
        return (
          status?.state === "online" && status.outbox.depth === 0 && accessEvents().length >= 5
        );
      },
      "the outbox drained after the restart",
      30_000,
    );
    const events = cloud.events(gatewayId);
    const seqs = events.map((e) => e.seq);
    // Contiguous from 1: no event appended before the kill was lost; unique ids: no duplicate.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // Badges taken before the kill made it too (5 came after the restart).
    expect(accessEvents().length).toBeGreaterThan(5);
  });

  it("delivers and gets acked the events behind a poison row, which stays quarantined on disk", async () => {
    const outboxPath = (dataDir: string) => join(dataDir, "outbox.db");
    const stored = (n: number, member: string) =>
      JSON.stringify({
        id: uuidv7(Date.now() - 60_000 + n),
        seq: n,
        time: new Date(Date.now() - 60_000 + n).toISOString(),
        type: "access",
        centre: "redu",
        door: "door-1",
        direction: "in",
        member,
        decision: "granted",
        reason: "staff",
      });
    await freshCloudAndGateway({}, (dataDir) => {
      mkdirSync(dataDir, { recursive: true });
      // The outbox a demo gateway was left with: a row the protocol's schema refuses (member
      // "-") between good ones, written before this gateway checked what it stores.
      new EventOutbox({ path: outboxPath(dataDir) }).close();
      const db = new Database(outboxPath(dataDir));
      const insert = db.prepare("INSERT INTO events (seq, type, body) VALUES (?, 'access', ?)");
      insert.run(1, stored(1, "m-before"));
      insert.run(2, stored(2, "-"));
      insert.run(3, stored(3, "m-after"));
      insert.run(4, stored(4, "m-after-too"));
      db.prepare("UPDATE meta SET value = 4 WHERE key = 'lastSeq'").run();
      db.close();
    });
    reader().tap(uid(3)); // a fresh badge after the start flows too
    await cloud.until(() => {
      const status = cloud.statuses.get(gatewayId);
      return (
        accessEvents().some((e) => e.member === "m-3") &&
        status?.state === "online" &&
        status.outbox.depth === 0
      );
    }, "the events behind the poison row, acked");
    const members = accessEvents().map((e) => [e.seq, e.member]);
    expect(members.slice(0, 3)).toEqual([
      [1, "m-before"],
      [3, "m-after"],
      [4, "m-after-too"],
    ]);
    expect(cloud.events(gatewayId).some((e) => e.seq === 2)).toBe(false);
    expect(gateway.log()).toContain("quarantined, the next ones flow");
    await gateway.kill("SIGTERM");
    const db = new Database(outboxPath(join(gateway.directory, "data")), { readonly: true });
    const kept = db.prepare("SELECT seq, problem FROM quarantine").all();
    db.close();
    expect(kept).toEqual([{ seq: 2, problem: expect.stringMatching(/^\/member: /) }]);
  });

  it("reports a delta and the cloud's full bundle of the same version as one apply, no rejection", async () => {
    const version = Date.now();
    cloud = new FakeCloud();
    await cloud.connect(broker.url, cloudUser);
    const first = bundleFor(salt, uids.slice(0, 10), version);
    await cloud.publishBundle(gatewayId, first);
    gateway = new GatewayProcess(broker.url, cloud, {
      adapter: "sim",
      endpoint: devices.endpoint,
    });
    gateway.start();
    await cloud.until(() => bundleVersionOf(cloud) === version, "the first bundle in force");
    // What the cloud's BundlePublisher does on a rule change: the delta, then the full bundle
    // of the same version, retained (and the broker hands that one again at every reconnect).
    const next = bundleFor(salt, uids.slice(0, 11), version + 1);
    const delta: DeltaBundle = {
      type: "bundle.delta",
      centre: "redu",
      fromVersion: version,
      version: version + 1,
      issuedAt: next.issuedAt,
      validUntil: next.validUntil,
      upsert: next.credentials.slice(10),
      remove: [],
    };
    await cloud.publishRaw(gatewayId, "bundleDelta", signDeltaBundle(delta, cloud.privateKey));
    await cloud.publishBundle(gatewayId, next);
    // A marker on the same connection, handled after the full bundle: its event comes after any
    // event the full bundle caused, and the uplink delivers in seq order.
    await cloud.publishRaw(gatewayId, "command", Buffer.from("not a signed command"));
    await cloud.until(
      () => cloud.events(gatewayId).some((e) => e.type === "command.rejected"),
      "the marker's event",
    );
    reader().tap(uid(10)); // opens with the delta's credential
    await cloud.until(
      () => accessEvents().some((e) => e.member === "m-10" && e.decision === "granted"),
      "the new credential granted",
    );
    const bundleEvents = cloud
      .events(gatewayId)
      .filter((e) => e.type.startsWith("bundle."))
      .map((e) => [e.type, e.bundleVersion ?? e.detail]);
    expect(bundleEvents).toEqual([
      ["bundle.applied", version],
      ["bundle.applied", version + 1],
    ]);
  });
});
