import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeMessage, topicFor, trustedKeysFromPem, uuidv7 } from "@passerelle/protocol";
import { serviceOf } from "@passerelle/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicKeyFileName } from "../../src/bundles/signingKeyFile.js";
import { type ServingCloud, stopServe } from "../cli/serveProcess.js";
import { type SseEvent, SseReader } from "../http/routes/occupancyGateway.js";
import {
  coordinator,
  freshPostgres,
  refusedTaps,
  removeDirs,
  type SeededNetwork,
  seedNetwork,
  sharedKeyDirs,
  startClusterBroker,
  startInstance,
  UplinkGateway,
} from "./clusterFixture.js";
import { DoorBundles } from "./doorBundles.js";

/*
 * Several stateless cloud instances on one PostgreSQL and one Mosquitto (issue 18, docs/scale.md):
 * three `serve` processes; gateways as MQTT clients with the deployed ACL. Events go to one
 * instance each through the shared subscription, and survive an instance killed mid-burst;
 * changes made through one instance reach the others' caches, the doors and the live boards.
 */

const postgres = await freshPostgres();
const gatewayCount = 50;
const batchesPerGateway = 6;
const eventsPerBatch = 10;

describe.skipIf("reason" in postgres)(
  "several cloud instances on one PostgreSQL and one broker",
  () => {
    const database = postgres as { url: string; drop(): Promise<void> };
    let network: SeededNetwork;
    let broker: Awaited<ReturnType<typeof startClusterBroker>>;
    let brokerUrl: string;
    let dirs: string[] = [];
    const instances: ServingCloud[] = [];
    const gateways: UplinkGateway[] = [];

    beforeAll(async () => {
      network = await seedNetwork(database.url, gatewayCount);
      broker = await startClusterBroker(network.gateways);
      if (!broker.provision.available) throw new Error(broker.provision.reason);
      brokerUrl = serviceOf(broker.provision).url;
      dirs = await sharedKeyDirs(3);
      instances.push(
        ...(await Promise.all(
          dirs.map((dir, index) => startInstance(index, dir, database.url, brokerUrl)),
        )),
      );
      for (const gateway of network.gateways) gateways.push(new UplinkGateway(gateway, brokerUrl));
      await Promise.all(gateways.map((gateway) => gateway.connect()));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(gateways.map((gateway) => gateway.close().catch(() => undefined)));
      await Promise.all(instances.map((instance) => stopServe(instance)));
      await broker?.stop();
      await removeDirs(dirs);
      await database.drop();
    }, 60_000);

    const instance = (index: number) => () => instances[index] as ServingCloud;
    const [a, b, c] = [instance(0), instance(1), instance(2)];

    const api = async (
      cloud: ServingCloud,
      method: string,
      path: string,
      token?: string,
      body?: unknown,
    ) => {
      const response = await fetch(`${cloud.httpUrl}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
      };
    };

    const login = async (cloud: ServingCloud) => {
      const response = await api(cloud, "POST", "/auth/login", undefined, coordinator);
      expect(response.status).toBe(200);
      return (response.body as { token: string }).token;
    };

    it("says in /healthz that each instance has its database, broker and cluster link", async () => {
      for (const instance of instances) {
        const response = await fetch(`${instance.httpUrl}/healthz`);
        expect(await response.json()).toEqual({
          status: "ok",
          checks: { store: "ok", broker: "ok", cluster: "ok" },
        });
      }
    });

    it("commits every event of a burst from 50 gateways once while an instance is SIGKILLed", {
      timeout: 60_000,
    }, async () => {
      const total = gatewayCount * batchesPerGateway * eventsPerBatch;
      const acked = () => gateways.reduce((sum, gateway) => sum + gateway.acked, 0);
      const burst = Promise.all(
        gateways.map(async (gateway) => {
          for (let batch = 0; batch < batchesPerGateway; batch++) {
            const first = batch * eventsPerBatch + 1;
            await gateway.send(refusedTaps(gateway.gateway.centreId, first, eventsPerBatch));
          }
        }),
      );
      // Mid-burst: some batches acked, most still to come.
      while (acked() < total / 4) await new Promise((resolve) => setTimeout(resolve, 20));
      const ackedAtKill = acked();
      c().child.kill("SIGKILL");
      expect(await c().exited).toBeNull();
      await burst;

      expect(ackedAtKill).toBeLessThan(total);
      expect(
        gateways.every((gateway) => gateway.acked === batchesPerGateway * eventsPerBatch),
      ).toBe(true);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const rows = await client.query<{ events: string; keys: string; ids: string }>(
          `select count(*) as events, count(distinct (gateway_id, seq)) as keys,
                count(distinct id) as ids from access_events`,
        );
        expect(rows.rows[0]).toEqual({
          events: String(total),
          keys: String(total),
          ids: String(total),
        });
      } finally {
        await client.end();
      }
    });

    it("puts a badge revoked through instance A in the door's bundle and out of B's login cache within 2 s", {
      timeout: 30_000,
    }, async () => {
      const gatewayOfC01 = gateways[0] as UplinkGateway;
      const trustedKeys = trustedKeysFromPem([
        await readFile(join(dirs[0] as string, publicKeyFileName), "utf8"),
      ]);
      // The door as a gateway keeps it: the newest full bundle, then the deltas that follow it.
      const door = new DoorBundles(trustedKeys, "c01");
      gatewayOfC01.mqtt.on("message", (topic, payload) => {
        if (topic === topicFor("gw-c01", "bundle")) door.receive("bundle", payload);
        if (topic === topicFor("gw-c01", "bundleDelta")) door.receive("bundleDelta", payload);
      });
      await gatewayOfC01.mqtt.subscribeAsync(
        [topicFor("gw-c01", "bundle"), topicFor("gw-c01", "bundleDelta")],
        { qos: 1 },
      );
      // As a gateway does at start: ask for the full bundle.
      await gatewayOfC01.mqtt.publishAsync(
        topicFor("gw-c01", "bundleRequest"),
        encodeMessage("bundleRequest", { heldVersion: null, reason: "start" }),
        { qos: 1 },
      );
      await waitFor(() => door.statusOf(network.badged.memberId) === "active", 10_000);

      // B has the coordinator's second login cached; A is where the changes are made.
      const tokenA = await login(a());
      const tokenB = await login(b());
      expect((await api(b(), "GET", "/centres/c01", tokenB)).status).toBe(200);

      const revoked = await api(a(), "POST", `/badges/${network.badged.badgeId}/revoke`, tokenA, {
        reason: "lost",
      });
      expect(revoked.status).toBe(200);
      expect((await api(a(), "POST", "/auth/logout", tokenB)).status).toBeLessThan(300);

      await waitFor(() => door.statusOf(network.badged.memberId) === "revoked", 2_000);
      await waitFor(
        async () => (await api(b(), "GET", "/centres/c01", tokenB)).status === 401,
        2_000,
      );
    });

    it("moves the board on every instance for a badge only one of them ingested", {
      timeout: 30_000,
    }, async () => {
      const token = await login(a());
      const streams = await Promise.all(
        [a(), b()].map(async (instance) => {
          const response = await fetch(`${instance.httpUrl}/api/v1/centres/c02/occupancy/stream`, {
            headers: { authorization: `Bearer ${token}` },
          });
          expect(response.status).toBe(200);
          return new SseReader(response);
        }),
      );
      const insideNow = (event: SseEvent) =>
        (event.data as { people: Array<{ memberId: string }> }).people.some(
          (person) => person.memberId === network.walker.memberId,
        );
      for (const stream of streams) await stream.next((event) => event.event === "snapshot");
      const walkerGateway = gateways[1] as UplinkGateway;
      const seq = batchesPerGateway * eventsPerBatch + 1;
      await walkerGateway.send([
        {
          id: uuidv7(Date.now()),
          seq,
          time: new Date().toISOString(),
          type: "access",
          centre: "c02",
          door: "c02-entrance",
          direction: "in",
          credential: "BBBBBBBBBBBBBBBBBBBBBB",
          member: network.walker.memberId,
          decision: "granted",
          reason: "pass",
        },
      ]);
      // Committed by one instance (the ack came after it); the other heard it through NOTIFY.
      for (const stream of streams) await stream.next(insideNow, 0, 1_000);
    });

    it("says in /healthz what an instance misses when the broker goes away", {
      timeout: 30_000,
    }, async () => {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await broker.stop();
      await waitFor(async () => (await fetch(`${a().httpUrl}/healthz`)).status === 503, 10_000);
      const health = (await (await fetch(`${a().httpUrl}/healthz`)).json()) as {
        checks: Record<string, string>;
      };
      expect(health.checks).toEqual({
        store: "ok",
        broker: "no connection to the external broker",
        cluster: "ok",
      });
    });
  },
);

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
