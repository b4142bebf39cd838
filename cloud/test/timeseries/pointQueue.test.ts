import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  int,
  type TimeSeriesPoint,
  TimeSeriesWriteError,
  type TimeSeriesWriter,
} from "../../src/ports/timeSeries.js";
import { PointQueue, type PointQueueOptions } from "../../src/timeseries/pointQueue.js";
import { PointSpool } from "../../src/timeseries/pointSpool.js";

/** A database the test switches: up, down (retryable), refusing some points (4xx). */
class FakeDatabase implements TimeSeriesWriter {
  readonly name = "fake";
  readonly written: TimeSeriesPoint[] = [];
  down = false;
  attempts = 0;
  refuse: (point: TimeSeriesPoint) => boolean = () => false;
  async write(points: readonly TimeSeriesPoint[]): Promise<void> {
    this.attempts += 1;
    if (this.down) throw new TimeSeriesWriteError("connect ECONNREFUSED", false);
    if (points.some(this.refuse)) throw new TimeSeriesWriteError("400 bad point", true);
    this.written.push(...points);
  }
}

const sample = (n: number): TimeSeriesPoint => ({
  measurement: "occupancy",
  tags: { centre: "redu", zone: "all" },
  fields: { headcount: int(n) },
  timeMs: 1_000 + n,
});
const count = (n: number): TimeSeriesPoint => ({
  measurement: "door_event",
  tags: { centre: "redu", door: "d1", type: "access", decision: "granted", reason: "pass" },
  fields: { count: int(1) },
  timeMs: 1_000 + n,
});
const quick: PointQueueOptions = {
  maxPoints: 1_000,
  batchSize: 100,
  flushMs: 5,
  retryMinMs: 10,
  retryMaxMs: 40,
};

let dir: string;
let registry: Registry;
let database: FakeDatabase;
let queue: PointQueue;
const logger = pino({ level: "silent" });

function open(options: Partial<PointQueueOptions> = {}): PointQueue {
  return new PointQueue(new PointSpool(join(dir, "queue.sqlite")), database, logger, registry, {
    ...quick,
    ...options,
  });
}
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "passerelle-queue-"));
  registry = new Registry();
  database = new FakeDatabase();
});
afterEach(async () => {
  await queue.stop();
  await rm(dir, { recursive: true, force: true });
});

it("keeps points on disk while the database is down and writes each once it is back", async () => {
  database.down = true;
  queue = open();
  for (let n = 0; n < 250; n += 1) queue.enqueue([count(n)]);
  await pause(150);
  expect(database.written).toHaveLength(0);
  expect(queue.queued()).toBe(250);
  expect(database.attempts).toBeGreaterThan(1); // retried, with backoff
  database.down = false;
  await queue.idle(5_000);
  expect(database.written.map((p) => p.timeMs)).toEqual(
    Array.from({ length: 250 }, (_, n) => 1_000 + n),
  );
  expect(await metric("passerelle_timeseries_points_written_total")).toBe(250);
});

it("survives a restart: what a stopped queue left on disk is written by the next one", async () => {
  database.down = true;
  queue = open();
  queue.enqueue([count(1), sample(2)]);
  await queue.stop();
  database.down = false;
  queue = open();
  queue.start();
  await queue.idle(5_000);
  expect(database.written.map((p) => p.measurement)).toEqual(["door_event", "occupancy"]);
});

it("drops a point the database refuses (4xx), counts it, and writes the rest of its batch", async () => {
  queue = open();
  database.refuse = (point) => point.timeMs === 1_007;
  queue.enqueue(Array.from({ length: 20 }, (_, n) => count(n)));
  await queue.idle(5_000);
  expect(database.written).toHaveLength(19);
  expect(database.written.some((p) => p.timeMs === 1_007)).toBe(false);
  expect(await metric("passerelle_timeseries_points_dropped_total", { reason: "rejected" })).toBe(
    1,
  );
});

it("at its bound drops the oldest samples first and door_event counts only when no sample is left, counted", async () => {
  database.down = true;
  queue = open({ maxPoints: 10 });
  queue.enqueue([sample(0), count(1), sample(2), count(3), sample(4)]);
  await pause(30);
  queue.enqueue([count(5), count(6), count(7), count(8), count(9), count(10), count(11)]);
  await pause(30);
  // 12 points, bound 10: the two oldest samples went, every count stayed.
  expect(queue.queued()).toBe(10);
  expect(
    await metric("passerelle_timeseries_points_dropped_total", { reason: "queue-full-sample" }),
  ).toBe(2);
  queue.enqueue([count(12), count(13), count(14)]);
  await pause(30);
  // Only one sample left to drop; then the two oldest counts, counted apart.
  expect(queue.queued()).toBe(10);
  expect(
    await metric("passerelle_timeseries_points_dropped_total", { reason: "queue-full-sample" }),
  ).toBe(3);
  expect(
    await metric("passerelle_timeseries_points_dropped_total", { reason: "queue-full-count" }),
  ).toBe(2);
  database.down = false;
  await queue.idle(5_000);
  expect(database.written.map((p) => p.timeMs - 1_000)).toEqual([
    5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  ]);
});

it("never makes the caller wait, even while a write takes seconds", async () => {
  let hang = true;
  let release: () => void = () => {};
  const slow: TimeSeriesWriter = {
    name: "slow",
    write: () =>
      hang
        ? new Promise<void>((resolve) => {
            release = resolve;
          })
        : Promise.resolve(),
  };
  queue = new PointQueue(new PointSpool(join(dir, "slow.sqlite")), slow, logger, registry, {
    ...quick,
    maxPoints: 50,
  });
  queue.enqueue([count(0)]);
  await pause(30); // the first write is now hanging
  const started = performance.now();
  for (let n = 1; n <= 500; n += 1) queue.enqueue([sample(n)]);
  expect(performance.now() - started).toBeLessThan(50);
  await pause(30);
  expect(queue.queued()).toBeLessThanOrEqual(50);
  hang = false;
  release();
  await queue.idle(5_000);
});
