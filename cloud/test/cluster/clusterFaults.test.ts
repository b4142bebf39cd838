import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { trustedKeysFromPem } from "@passerelle/protocol";
import type { MosquittoService, Restartable } from "@passerelle/testkit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicKeyFileName } from "../../src/bundles/signingKeyFile.js";
import { type ServingCloud, stopServe } from "../cli/serveProcess.js";
import { TcpSplitProxy } from "../support/tcpSplitProxy.js";
import { BundleHistory } from "./bundleHistory.js";
import {
  coordinator,
  refusedTaps,
  removeDirs,
  restartablePostgres,
  type SeededNetwork,
  seedNetwork,
  sharedKeyDirs,
  startClusterBroker,
  startInstance,
  UplinkGateway,
} from "./clusterFixture.js";

/*
 * Two `serve` instances on one PostgreSQL and one Mosquitto through the faults of a real
 * deployment (issue 18, "Bad input and faults"; docs/scale.md): PostgreSQL restarted, the
 * broker restarted, and instance B cut off from the broker alone, each in the middle of a burst
 * from 20 gateways. Through each, /healthz names what is missing, every event is committed once,
 * and the bundle versions that changes made through both instances produce are never reused.
 * The PostgreSQL server and the broker are this file's own: it stops and starts them again.
 */

const postgres = await restartablePostgres();
const gatewayCount = 20;
const batchesPerBurst = 4;
const eventsPerBatch = 10;
const allOk = { store: "ok", broker: "ok", cluster: "ok" };

type Checks = Record<string, string>;

describe.skipIf("reason" in postgres)(
  "cloud instances through PostgreSQL, broker and network faults",
  () => {
    const database = postgres as Exclude<typeof postgres, { reason: string }>;
    let network: SeededNetwork;
    let broker: Awaited<ReturnType<typeof startClusterBroker>>;
    let brokerRestart: Restartable;
    let proxy: TcpSplitProxy;
    let dirs: string[] = [];
    const instances: ServingCloud[] = [];
    const gateways: UplinkGateway[] = [];
    const tokens: string[] = [];
    let history: BundleHistory;

    beforeAll(async () => {
      network = await seedNetwork(database.url, gatewayCount);
      broker = await startClusterBroker(network.gateways, { restartable: true });
      if (!broker.provision.available) throw new Error(broker.provision.reason);
      const brokerService = broker.provision.service as MosquittoService;
      if (!brokerService.restartable) throw new Error("the broker must be the local binary");
      brokerRestart = brokerService.restartable;
      // Instance B reaches the broker through a proxy the split test cuts; A and gateways do not.
      proxy = await TcpSplitProxy.start(brokerService);
      dirs = await sharedKeyDirs(2);
      const throughProxy = `mqtt://127.0.0.1:${proxy.port}`;
      instances.push(
        ...(await Promise.all([
          startInstance(0, dirs[0] as string, database.url, brokerService.url),
          startInstance(1, dirs[1] as string, database.url, throughProxy),
        ])),
      );
      history = new BundleHistory(
        trustedKeysFromPem([await readFile(join(dirs[0] as string, publicKeyFileName), "utf8")]),
      );
      for (const gateway of network.gateways) {
        gateways.push(new UplinkGateway(gateway, brokerService.url));
      }
      await Promise.all(
        gateways.map(async (gateway) => {
          await gateway.connect();
          await history.listen(gateway.mqtt, gateway.gateway.id, gateway.gateway.centreId);
        }),
      );
      for (const instance of instances) tokens.push(await login(instance));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(gateways.map((gateway) => gateway.close().catch(() => undefined)));
      await Promise.all(instances.map((instance) => stopServe(instance)));
      await proxy?.stop();
      await broker?.stop();
      await database.stop();
      await removeDirs(dirs);
    }, 60_000);

    const [a, b] = [() => instances[0] as ServingCloud, () => instances[1] as ServingCloud];

    it("starts with both instances healthy", async () => {
      for (const instance of instances) expect(await checksOf(instance)).toEqual(allOk);
    });

    it("commits every event of a burst once through a PostgreSQL restart, naming `store` and `cluster` while it is down", {
      timeout: 120_000,
    }, async () => {
      const burst = startBurst();
      await untilAcked(burst.quarter);
      const changes = issueBadgesThroughBoth();
      await database.restartable.halt();
      for (const instance of instances) {
        await waitForChecks(instance, (c) => c.store !== "ok" && c.cluster !== "ok", 20_000);
      }
      // Nothing can be committed, so nothing is acked: the gateways keep re-sending.
      const ackedWhileDown = ackedSum();
      await sleep(1_000);
      expect(ackedSum()).toBe(ackedWhileDown);
      expect(ackedWhileDown).toBeLessThan(burst.total);

      await database.restartable.resume();
      for (const instance of instances) {
        await waitForChecks(instance, (c) => sameChecks(c, allOk), 30_000);
      }
      await changes;
      expect(await issueBadgesThroughBoth()).toEqual([201, 201]);
      await burst.done;
      await expectEveryEventOnce();
    });

    it("commits every event of a burst once through a broker restart, naming `broker` while it is down", {
      timeout: 120_000,
    }, async () => {
      const burst = startBurst();
      await untilAcked(burst.quarter);
      const changes = issueBadgesThroughBoth();
      expect(ackedSum()).toBeLessThan(burst.total);
      await brokerRestart.halt();
      const down = { store: "ok", broker: "no connection to the external broker", cluster: "ok" };
      for (const instance of instances) {
        await waitForChecks(instance, (c) => sameChecks(c, down), 10_000);
      }
      await sleep(1_000);
      await brokerRestart.resume();
      for (const instance of instances) {
        await waitForChecks(instance, (c) => sameChecks(c, allOk), 20_000);
      }
      await changes;
      await burst.done;
      await expectEveryEventOnce();
    });

    it("keeps committing through instance A while B alone is cut off from the broker, and B comes back", {
      timeout: 120_000,
    }, async () => {
      const burst = startBurst();
      await untilAcked(burst.quarter);
      proxy.cut();
      const cutOff = { store: "ok", broker: "no connection to the external broker", cluster: "ok" };
      await waitForChecks(b(), (c) => sameChecks(c, cutOff), 10_000);
      const ackedAtSplit = ackedSum();
      expect(ackedAtSplit).toBeLessThan(burst.total);
      const changes = issueBadgesThroughBoth();
      // The whole burst ends while B is away: A alone is in the shared subscription now.
      await burst.done;
      expect(ackedSum()).toBeGreaterThan(ackedAtSplit);
      expect(await checksOf(a())).toEqual(allOk);
      expect(await checksOf(b())).toEqual(cutOff);

      proxy.heal();
      await waitForChecks(b(), (c) => sameChecks(c, allOk), 20_000);
      expect(await changes).toEqual([201, 201]);
      // Both back in the group: one more batch from each gateway.
      await startBurst(1).done;
      await expectEveryEventOnce();
    });

    it("never issued one bundle version twice: every door received only newer versions", {
      timeout: 60_000,
    }, async () => {
      const before = await issuedVersions();
      expect(await issueBadgesThroughBoth()).toEqual([201, 201]);
      // Every door ends on the version the store last issued for its centre, a new one.
      let behind: string[] = [];
      try {
        await waitFor(async () => {
          const issued = await issuedVersions();
          behind = network.gateways
            .filter(
              (g) =>
                (issued.get(g.centreId) ?? 0) <= (before.get(g.centreId) ?? 0) ||
                history.highest(g.centreId) !== issued.get(g.centreId),
            )
            .map(
              (g) =>
                `${g.centreId}: door ${history.highest(g.centreId)}, store ${issued.get(g.centreId)}`,
            );
          return behind.length === 0;
        }, 20_000);
      } catch {
        throw new Error(`doors not on the store's version: ${behind.join("; ")}`);
      }
      expect(history.reusedVersions()).toEqual([]);
      expect(history.backwards()).toEqual([]);
      for (const gateway of network.gateways) {
        // Not an empty history: at least the three rounds of changes made with the broker up
        // and every instance on it (after PostgreSQL returned, after the split, above) reached
        // each door; rounds made during a fault may coalesce or be lost with the broker's
        // retained copies.
        expect(new Set(history.versions(gateway.centreId, "bundle")).size).toBeGreaterThanOrEqual(
          3,
        );
      }
    });

    // --- helpers -------------------------------------------------------------------------------

    function startBurst(batches = batchesPerBurst) {
      const before = ackedSum();
      const total = before + gatewayCount * batches * eventsPerBatch;
      const done = Promise.all(
        gateways.map(async (gateway) => {
          const first = gateway.acked + 1;
          for (let batch = 0; batch < batches; batch++) {
            const seq = first + batch * eventsPerBatch;
            await gateway.send(refusedTaps(gateway.gateway.centreId, seq, eventsPerBatch));
          }
        }),
      );
      return { total, quarter: before + (total - before) / 4, done };
    }

    function ackedSum(): number {
      return gateways.reduce((sum, gateway) => sum + gateway.acked, 0);
    }

    async function untilAcked(count: number): Promise<void> {
      await waitFor(() => ackedSum() >= count, 30_000);
    }

    /** Every gateway's last seq acked; each (gateway, seq) in the database exactly once. */
    async function expectEveryEventOnce(): Promise<void> {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const rows = await client.query<Record<string, string>>(
          `select gateway_id, count(*)::text as events, count(distinct seq)::text as keys,
                count(distinct id)::text as ids, min(seq)::text as first, max(seq)::text as last
           from access_events group by gateway_id order by gateway_id`,
        );
        expect(rows.rows).toEqual(
          gateways.map((gateway) =>
            expect.objectContaining({
              gateway_id: gateway.gateway.id,
              events: String(gateway.acked),
              keys: String(gateway.acked),
              ids: String(gateway.acked),
              first: "1",
              last: String(gateway.acked),
            }),
          ),
        );
      } finally {
        await client.end();
      }
    }

    /** The version the store last issued, per centre. */
    async function issuedVersions(): Promise<Map<string, number>> {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const rows = await client.query<{ centre_id: string; version: string }>(
          "select centre_id, version from bundle_versions",
        );
        return new Map(rows.rows.map((row) => [row.centre_id, Number(row.version)]));
      } finally {
        await client.end();
      }
    }

    /** A badge for the member with a network pass through each instance at once: every centre. */
    function issueBadgesThroughBoth(): Promise<number[]> {
      return Promise.all(
        instances.map(async (instance, index) => {
          const response = await fetch(
            `${instance.httpUrl}/api/v1/members/${network.badged.memberId}/badges`,
            {
              method: "POST",
              headers: {
                authorization: `Bearer ${tokens[index]}`,
                "content-type": "application/json",
              },
              body: JSON.stringify({ uid: randomBytes(7).toString("hex").toUpperCase() }),
              signal: AbortSignal.timeout(20_000),
            },
          ).catch(() => undefined);
          await response?.body?.cancel();
          return response?.status ?? 0;
        }),
      );
    }
  },
);

async function login(instance: ServingCloud): Promise<string> {
  const response = await fetch(`${instance.httpUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(coordinator),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function checksOf(instance: ServingCloud): Promise<Checks> {
  const response = await fetch(`${instance.httpUrl}/healthz`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { status: string; checks: Checks };
  // The status code and the body agree.
  expect(response.status).toBe(body.status === "ok" ? 200 : 503);
  return body.checks;
}

function sameChecks(checks: Checks, expected: Checks): boolean {
  return JSON.stringify(checks) === JSON.stringify(expected);
}

async function waitForChecks(
  instance: ServingCloud,
  wanted: (checks: Checks) => boolean,
  timeoutMs: number,
): Promise<void> {
  let last: Checks | string = "no answer";
  try {
    await waitFor(async () => {
      last = await checksOf(instance).catch((error: Error) => error.message);
      return typeof last !== "string" && wanted(last);
    }, timeoutMs);
  } catch {
    // An instance that died says why in its last words.
    const exited = instance.child.exitCode ?? instance.child.signalCode;
    const lastWords =
      exited === null ? "" : `; exited (${exited}):\n${instance.stderr().slice(-3_000)}`;
    throw new Error(`/healthz of ${instance.httpUrl} still ${JSON.stringify(last)}${lastWords}`);
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(50);
  }
}
