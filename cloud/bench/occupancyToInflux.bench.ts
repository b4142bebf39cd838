/**
 * Badge to occupancy point, through the running cloud. Run: `npm run bench:timeseries:e2e` in
 * cloud/.
 *
 * startCloud (embedded broker, SQLite) writing its time series to the testkit's influxd, G
 * gateways provisioned with their own broker credentials, each an MQTT client that publishes
 * its centre's occupancy sample (what a gateway sends after each badge) once a second, spread
 * over the second, with a count never seen before. The delay runs from the publish to the
 * moment the point can be read back from InfluxDB, found by polling it every POLL_MS: through
 * the broker, the ingest's schema and gateway checks, the live occupancy, the bus, the
 * time-series feature, the on-disk queue (1 s flush) and the `influx` client's write. The
 * figures include up to POLL_MS of polling and the query's own time.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMessage, topicFor } from "@passerelle/protocol";
import { startInflux } from "@passerelle/testkit";
import { connectAsync, type MqttClient } from "mqtt";
import { createCentre } from "../src/domain/centres.js";
import { provisionGateway } from "../src/domain/gateways.js";
import { startCloud } from "../src/server.js";
import { InfluxV1Writer } from "../src/timeseries/influxV1Writer.js";

const gateways = Number(process.env.BENCH_GATEWAYS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const pollMs = Number(process.env.BENCH_POLL_MS ?? 50);
const database = "bench_e2e";

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

async function main(): Promise<void> {
  const influx = await startInflux();
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-ts-e2e-"));
  await new InfluxV1Writer({ url: influx.url, database }).createDatabase();
  const cloud = await startCloud({
    dataDir,
    http: { host: "127.0.0.1", port: 0 },
    broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
    logLevel: "silent",
    timeSeries: { client: "v1", url: influx.url, database },
  });
  const clients: MqttClient[] = [];
  console.log(`load average before: ${load()}`);
  try {
    const deps = cloud.services.deps;
    for (let g = 0; g < gateways; g += 1) {
      await createCentre(deps, "user:bench", {
        id: `c${g}`,
        name: `c${g}`,
        timeZone: "Europe/Brussels",
        openingHours: [],
        capacity: 100_000,
        hourlyRateCents: 0,
      });
      const { gateway, secret } = await provisionGateway(deps, "user:bench", {
        id: `gw${g}`,
        centreId: `c${g}`,
      });
      clients.push(
        await connectAsync(`mqtt://127.0.0.1:${cloud.brokerPort}`, {
          clientId: `gw-${gateway.id}`,
          username: gateway.id,
          password: secret,
          protocolVersion: 4,
          reconnectPeriod: 0,
        }),
      );
    }

    const publishedAt = new Map<string, number>();
    const delays: number[] = [];
    let tick = 0;
    const timer = setInterval(() => {
      tick += 1;
      clients.forEach((client, g) => {
        setTimeout(() => {
          const inside = tick * 1000 + g; // unique, to find its point again
          publishedAt.set(`c${g}/${inside}`, performance.now());
          void client.publishAsync(
            topicFor(`gw${g}`, "occupancy"),
            encodeMessage("occupancy", {
              time: new Date().toISOString(),
              centre: `c${g}`,
              inside,
              zones: [],
            }),
            { qos: 1 },
          );
        }, Math.random() * 1000);
      });
    }, 1000);

    // Poll InfluxDB for the points written since the last poll.
    let since = Date.now() - 1000;
    let polling = true;
    let drainDeadline = Number.POSITIVE_INFINITY;
    const poller = (async () => {
      while (polling || publishedAt.size > 0) {
        const q = `SELECT headcount, centre FROM occupancy WHERE zone = 'all' AND time > ${since}ms`;
        const response = await fetch(
          `${influx.url}/query?db=${database}&epoch=ms&q=${encodeURIComponent(q)}`,
        );
        const seenAt = performance.now();
        const body = (await response.json()) as {
          results: { series?: { values: [number, number, string][] }[] }[];
        };
        for (const [time, headcount, centre] of body.results[0]?.series?.[0]?.values ?? []) {
          since = Math.max(since, time - 5_000); // late writes land before the newest time
          const key = `${centre}/${headcount}`;
          const at = publishedAt.get(key);
          if (at === undefined) continue;
          delays.push(seenAt - at);
          publishedAt.delete(key);
        }
        if (!polling && performance.now() > drainDeadline) break;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    clearInterval(timer);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the last spread publishes
    drainDeadline = performance.now() + 15_000;
    polling = false;
    await poller;
    const sorted = delays.sort((a, b) => a - b);
    console.log(
      `gateway publish → occupancy point readable in InfluxDB, ${gateways} gateways × 1 sample/s for ${seconds} s (polled every ${pollMs} ms): ${sorted.length} points (${publishedAt.size} never seen), p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
    );
    console.log(`load average after: ${load()}`);
  } finally {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await cloud.stop();
    await influx.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
