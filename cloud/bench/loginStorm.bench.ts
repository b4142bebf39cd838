/**
 * Gateway logins after an outage (issue 18): every gateway of the network connects to the
 * embedded broker at once, as after a cloud restart. Run: `npm run bench:logins -w cloud`
 * (`BENCH_GATEWAYS`, default 1000).
 *
 * One `serve` process on SQLite; the gateways are MQTT clients in this process, each with its
 * own credentials, a 10 s CONNACK timeout and a reconnection 1 s after a failure (as the
 * gateway's link). Two storms, peers in the same run:
 *   1. every secret stored as scrypt (what earlier versions stored; each row is re-hashed at its
 *      first successful login);
 *   2. the same gateways again, now stored as SHA-256 (security/secrets.ts hashGeneratedSecret).
 * Measured per storm: time until every gateway is connected, and the failed attempts on the way.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type MqttClient } from "mqtt";
import { createCentre } from "../src/domain/centres.js";
import { provisionGateway } from "../src/domain/gateways.js";
import { hashSecret } from "../src/security/secrets.js";
import { openStore } from "../src/store/openStore.js";
import { startServe, stopServe } from "../test/cli/serveProcess.js";
import { admin, recordingDeps, weekdays8to18 } from "../test/support/fixtures.js";

const gatewayCount = Number(process.env.BENCH_GATEWAYS ?? 1000);
const stormBoundMs = Number(process.env.BENCH_STORM_BOUND_MS ?? 180_000);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

interface Gateway {
  id: string;
  secret: string;
}

async function seed(dataDir: string): Promise<Gateway[]> {
  const store = await openStore({ dataDir });
  try {
    const deps = recordingDeps(store, new Date().toISOString());
    await createCentre(deps, admin, {
      id: "storm",
      name: "Storm",
      timeZone: "Europe/Brussels",
      openingHours: weekdays8to18,
      capacity: 40,
      hourlyRateCents: 450,
    });
    const gateways: Gateway[] = [];
    for (let index = 0; index < gatewayCount; index++) {
      const id = `gw-${String(index).padStart(5, "0")}`;
      const { secret } = await provisionGateway(deps, admin, { id, centreId: "storm" });
      gateways.push({ id, secret });
    }
    // As an earlier version stored them: scrypt, hashed 8 at a time (the libuv pool).
    for (let start = 0; start < gateways.length; start += 8) {
      const slice = gateways.slice(start, start + 8);
      const hashes = await Promise.all(slice.map((gateway) => hashSecret(gateway.secret)));
      await store.write(async (trx) => {
        for (const [offset, gateway] of slice.entries()) {
          await trx
            .updateTable("gateways")
            .set({ secret_hash: hashes[offset] as string })
            .where("id", "=", gateway.id)
            .execute();
        }
      });
    }
    return gateways;
  } finally {
    await store.close();
  }
}

interface StormResult {
  connectedMs: number | undefined;
  connected: number;
  failedAttempts: number;
}

async function storm(brokerUrl: string, gateways: readonly Gateway[]): Promise<StormResult> {
  const started = performance.now();
  let connected = 0;
  let failedAttempts = 0;
  const clients: MqttClient[] = [];
  const all = new Promise<number>((resolve) => {
    for (const gateway of gateways) {
      const client = connect(brokerUrl, {
        clientId: `gw-${gateway.id}`,
        username: gateway.id,
        password: gateway.secret,
        protocolVersion: 4,
        connectTimeout: 10_000,
        reconnectPeriod: 1000,
        clean: true,
      });
      let first = true;
      client.on("connect", () => {
        if (!first) return;
        first = false;
        connected += 1;
        if (connected === gateways.length) resolve(performance.now() - started);
      });
      // A CONNACK timeout or a refusal: mqtt.js tries again after reconnectPeriod.
      client.on("close", () => {
        if (first) failedAttempts += 1;
      });
      client.on("error", () => {});
      clients.push(client);
    }
  });
  const bound = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), stormBoundMs).unref(),
  );
  const connectedMs = await Promise.race([all, bound]);
  await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
  return { connectedMs, connected, failedAttempts };
}

const describe = (name: string, result: StormResult) =>
  `${name}: ${result.connected}/${gatewayCount} connected${
    result.connectedMs === undefined
      ? ` (not all within ${stormBoundMs / 1000} s)`
      : ` in ${(result.connectedMs / 1000).toFixed(1)} s`
  }, ${result.failedAttempts} failed attempts on the way`;

const dataDir = await mkdtemp(join(tmpdir(), "passerelle-logins-"));
try {
  console.log(
    `login storm: ${gatewayCount} gateways at once on the embedded broker; ${cpus().length} CPUs, load ${load()}`,
  );
  const seeding = performance.now();
  const gateways = await seed(dataDir);
  console.log(`seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
  const cloud = await startServe(["--data-dir", dataDir, "--http-port", "0", "--broker-port", "0"]);
  try {
    const slow = await storm(cloud.brokerUrl, gateways);
    console.log(describe("  1. secrets stored as scrypt", slow));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const fast = await storm(cloud.brokerUrl, gateways);
    console.log(describe("  2. the same, stored as SHA-256", fast));
    if (slow.connectedMs !== undefined && fast.connectedMs !== undefined) {
      console.log(`  ratio SHA-256 / scrypt: ${(fast.connectedMs / slow.connectedMs).toFixed(3)}`);
    }
    console.log(`load at the end: ${load()}`);
  } finally {
    await stopServe(cloud);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
