/**
 * Time-series writer against a real influxd 1.x (the testkit's). Run: `npm run bench:timeseries`
 * in cloud/.
 *
 * - points/s: N door_event points (distinct series times) enqueued at once through the
 *   production queue (disk spool, 5 000-point batches), timed until InfluxDB accepted the last;
 *   and the client alone (InfluxV1Writer.write of 5 000-point batches, no queue).
 * - badge to occupancy point: G gateways' centres each report an occupancy change every second
 *   on the bus (what the ingest emits), through TimeSeriesFeature and the queue (default 1 s
 *   flush); the delay is from the emit to InfluxDB's answer to the write holding its point.
 *   The MQTT leg (gateway to cloud) is measured by bench:ingest, not here.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startInflux } from "@passerelle/testkit";
import { pino } from "pino";
import { Registry } from "prom-client";
import { cloudEventBus } from "../src/bus/cloudEvents.js";
import { createCentre } from "../src/domain/centres.js";
import { serviceDeps, systemClock } from "../src/domain/serviceDeps.js";
import { TimeSeriesFeature } from "../src/features/timeSeriesFeature.js";
import { int, type TimeSeriesPoint, type TimeSeriesWriter } from "../src/ports/timeSeries.js";
import { openStore } from "../src/store/openStore.js";
import { InfluxV1Writer } from "../src/timeseries/influxV1Writer.js";
import { defaultQueueOptions, PointQueue } from "../src/timeseries/pointQueue.js";
import { PointSpool } from "../src/timeseries/pointSpool.js";

const points = Number(process.env.BENCH_POINTS ?? 200_000);
const gateways = Number(process.env.BENCH_GATEWAYS ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const logger = pino({ level: "silent" });

function doorEvent(n: number): TimeSeriesPoint {
  return {
    measurement: "door_event",
    tags: {
      centre: `c${n % 20}`,
      door: `d${n % 200}`,
      type: "access",
      decision: "granted",
      reason: "pass",
    },
    fields: { count: int(1) },
    timeMs: 1_767_225_600_000 + n,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  const influx = await startInflux();
  const dir = await mkdtemp(join(tmpdir(), "passerelle-ts-bench-"));
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  try {
    const writer = new InfluxV1Writer({ url: influx.url, database: "bench_queue" });
    await writer.createDatabase();
    const queue = new PointQueue(
      new PointSpool(join(dir, "queue.sqlite")),
      writer,
      logger,
      new Registry(),
      { ...defaultQueueOptions, maxPoints: points * 2, flushMs: 100 },
    );
    let started = performance.now();
    for (let n = 0; n < points; n += 1) queue.enqueue([doorEvent(n)]);
    const enqueueMs = performance.now() - started;
    await queue.idle(600_000);
    const queuedMs = performance.now() - started;
    await queue.stop();
    console.log(
      `queue → influxd: ${points} points in ${(queuedMs / 1000).toFixed(1)} s = ${Math.round(points / (queuedMs / 1000))} points/s (enqueue of all: ${enqueueMs.toFixed(0)} ms)`,
    );

    const direct = new InfluxV1Writer({ url: influx.url, database: "bench_direct" });
    await direct.createDatabase();
    const all = Array.from({ length: points }, (_, n) => doorEvent(n));
    started = performance.now();
    for (let i = 0; i < all.length; i += 5_000) await direct.write(all.slice(i, i + 5_000));
    const directMs = performance.now() - started;
    console.log(
      `client alone: ${points} points in ${(directMs / 1000).toFixed(1)} s = ${Math.round(points / (directMs / 1000))} points/s`,
    );

    // Badge → occupancy point.
    const store = await openStore({ dataDir: join(dir, "store") });
    const deps = serviceDeps(store, { clock: systemClock, logger });
    for (let g = 0; g < gateways; g += 1) {
      await createCentre(deps, "user:bench", {
        id: `c${g}`,
        name: `c${g}`,
        timeZone: "Europe/Brussels",
        openingHours: [],
        capacity: 50,
        hourlyRateCents: 0,
      });
    }
    const occupancyWriter = new InfluxV1Writer({ url: influx.url, database: "bench_occupancy" });
    await occupancyWriter.createDatabase();
    const emittedAt = new Map<string, number>();
    const delays: number[] = [];
    const timing: TimeSeriesWriter = {
      name: "timing",
      async write(batch) {
        await occupancyWriter.write(batch);
        const now = performance.now();
        for (const point of batch) {
          const key = `${point.tags.centre}/${point.fields.headcount && "int" in point.fields.headcount ? point.fields.headcount.int : ""}`;
          const at = emittedAt.get(key);
          if (at !== undefined && point.tags.zone === "all") {
            delays.push(now - at);
            emittedAt.delete(key);
          }
        }
      },
    };
    const bus = cloudEventBus(logger);
    const occupancyQueue = new PointQueue(
      new PointSpool(join(dir, "occupancy.sqlite")),
      timing,
      logger,
      new Registry(),
    );
    const feature = new TimeSeriesFeature(bus, deps, occupancyQueue, logger);
    await feature.start();
    let tick = 0;
    const timer = setInterval(() => {
      tick += 1;
      for (let g = 0; g < gateways; g += 1) {
        // Spread over the second, as gateways' samples are.
        setTimeout(() => {
          const inside = tick * 1000 + g; // unique per change, to find its point again
          emittedAt.set(`c${g}/${inside}`, performance.now());
          bus.emit("occupancy.changed", {
            centre: `c${g}`,
            inside,
            attributed: inside,
            zones: [],
            time: new Date().toISOString(),
            gateways: [`gw${g}`],
          });
        }, Math.random() * 1000);
      }
    }, 1000);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    clearInterval(timer);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await occupancyQueue.idle(60_000);
    await feature.stop();
    await store.close();
    const sorted = delays.sort((a, b) => a - b);
    console.log(
      `badge → occupancy point in InfluxDB, ${gateways} gateways × 1 change/s for ${seconds} s: ${sorted.length} points, p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`,
    );
    console.log(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    await influx.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
