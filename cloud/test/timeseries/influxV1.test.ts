import { join } from "node:path";
import { provideService, serviceOf } from "@passerelle/testkit";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { int, type TimeSeriesPoint } from "../../src/ports/timeSeries.js";
import { backfillTimeSeries } from "../../src/timeseries/backfill.js";
import { InfluxV1Writer } from "../../src/timeseries/influxV1Writer.js";
import { PointQueue, type PointQueueOptions } from "../../src/timeseries/pointQueue.js";
import { PointSpool } from "../../src/timeseries/pointSpool.js";
import { FlakyProxy } from "./flakyProxy.js";
import { dayMidnightMs, SimulatedDay } from "./simulatedDay.js";

const influx = await provideService("influx");
const quick: PointQueueOptions = {
  maxPoints: 10_000,
  batchSize: 500,
  flushMs: 20,
  retryMinMs: 50,
  retryMaxMs: 400,
};
let databaseSeq = 0;

/** InfluxQL against the real server: rows of one series as objects. */
async function query(url: string, db: string, q: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${url}/query?db=${db}&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await response.json()) as {
    results: {
      series?: { columns: string[]; values: unknown[][]; tags?: Record<string, string> }[];
    }[];
  };
  if (body.results === undefined) throw new Error(`InfluxQL ${q}: ${JSON.stringify(body)}`);
  return (body.results[0]?.series ?? []).flatMap((series) =>
    series.values.map((row) => ({
      ...series.tags,
      ...Object.fromEntries(series.columns.map((c, i) => [c, row[i]])),
    })),
  );
}

describe.skipIf(!influx.available)("time series on a real influxd 1.x", () => {
  let day: SimulatedDay;
  let db: string;
  let queue: PointQueue | undefined;
  let proxy: FlakyProxy | undefined;
  const url = () => serviceOf(influx).url;

  afterAll(() => serviceOf(influx).stop());
  beforeEach(async () => {
    databaseSeq += 1;
    db = `passerelle_ts_${process.pid}_${databaseSeq}`;
    day = await SimulatedDay.create();
  });
  afterEach(async () => {
    await queue?.stop();
    queue = undefined;
    await proxy?.stop();
    proxy = undefined;
    await day.close();
  });

  async function writerTo(target: string): Promise<InfluxV1Writer> {
    const writer = new InfluxV1Writer({ url: target, database: db, timeoutMs: 8_000 });
    await new InfluxV1Writer({ url: url(), database: db }).createDatabase();
    return writer;
  }
  function queueFor(writer: InfluxV1Writer, options: Partial<PointQueueOptions> = {}) {
    queue = new PointQueue(
      new PointSpool(join(day.dir, "timeseries-queue.sqlite")),
      writer,
      pino({ level: "silent" }),
      new Registry(),
      { ...quick, ...options },
    );
    return queue;
  }

  async function expectTheDay(): Promise<void> {
    const decisions = await query(
      url(),
      db,
      `SELECT sum("count") AS n FROM door_event GROUP BY "decision", "reason"`,
    );
    expect(decisions.map((r) => [r.decision, r.reason, r.n])).toEqual([
      ["denied", "unknown-badge", 1],
      ["granted", "none", 4],
    ]);
    const days = await query(url(), db, `SELECT "users", "sessions", "minutes" FROM presence_day`);
    expect(days).toEqual([{ time: dayMidnightMs, users: 2, sessions: 2, minutes: 330 }]);
  }

  it("writes what the ingest of a day commits, with the figures computed by hand", async () => {
    const q = queueFor(await writerTo(url()));
    await day.startFeature(q);
    await day.play();
    await q.idle(10_000);
    await expectTheDay();
    const occupancy = await query(
      url(),
      db,
      `SELECT headcount, capacity, attributed FROM occupancy WHERE zone = 'all'`,
    );
    // Four changes, then the 17:00 sample (nobody inside; the log attributes nobody either).
    expect(occupancy.map((r) => r.headcount)).toEqual([1, 2, 1, 0, 0]);
    expect(occupancy.every((r) => r.capacity === 10)).toBe(true);
    expect(occupancy.at(-1)?.attributed).toBe(0);
    const types = await query(url(), db, `SHOW FIELD KEYS FROM door_event`);
    expect(types).toContainEqual({ fieldKey: "count", fieldType: "integer" });
    expect(types).toContainEqual({ fieldKey: "latency_ms", fieldType: "float" });
  });

  it("writes today against a typical day of the same weekday, hour by hour", async () => {
    const q = queueFor(await writerTo(url()));
    await day.startFeature(q);
    await day.play();
    await q.idle(10_000);
    const rows = await query(
      url(),
      db,
      `SELECT today, typical FROM occupancy_weekday WHERE centre = 'redu'`,
    );
    // One point per local hour of Monday 23 November (midnight +01:00 = 23:00Z the day before).
    expect(rows.map((r) => r.time)).toEqual(
      Array.from({ length: 24 }, (_, h) => dayMidnightMs + h * 3_600_000),
    );
    // Ana 09:00–11:37 and Ben 09:30–12:10: two people in the 9, 10 and 11 o'clock hours, Ben
    // alone into 12 o'clock; the sample ran at 17:00, so later hours have no figure yet. No
    // earlier Monday had anyone: the typical Monday is empty.
    const today = [
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      2,
      2,
      1,
      0,
      0,
      0,
      0,
      0,
      null,
      null,
      null,
      null,
      null,
      null,
    ];
    expect(rows.map((r) => r.today)).toEqual(today);
    expect(rows.every((r) => r.typical === 0)).toBe(true);
  });

  it("writes the gateways' card-to-relay latency and the age of their bundle", async () => {
    const q = queueFor(await writerTo(url()));
    await day.startFeature(q);
    await day.play();
    await q.idle(10_000);
    const latency = await query(
      url(),
      db,
      `SELECT mean(latency_ms) AS mean, max(latency_ms) AS max, count(latency_ms) AS n FROM door_event`,
    );
    expect(latency).toEqual([{ time: 0, mean: 44, max: 52, n: 4 }]);
    const denied = await query(
      url(),
      db,
      `SELECT count(latency_ms) AS n FROM door_event WHERE "decision" = 'denied'`,
    );
    expect(denied).toEqual([]);
    const ages = await query(url(), db, `SELECT bundle_age_s, bundle_version FROM gateway_health`);
    expect(ages).toEqual([
      { time: Date.parse("2026-11-23T07:00:00Z"), bundle_age_s: 1800, bundle_version: 12 },
      { time: Date.parse("2026-11-23T16:00:00Z"), bundle_age_s: 34_200, bundle_version: 12 },
    ]);
  });

  it("backfills the same series from the store, and a second run overwrites rather than adds", async () => {
    await day.startFeature({ enqueue: () => {} }); // the day is stored, nothing written live
    await day.play();
    const writer = await writerTo(url());
    const period = { fromMs: dayMidnightMs, toMs: dayMidnightMs + 86_400_000 };
    const first = await backfillTimeSeries(day.world.deps, writer, period);
    expect(first).toEqual({ doorEvents: 5, bookingHours: 0, presenceDays: 1 });
    await backfillTimeSeries(day.world.deps, writer, period);
    await expectTheDay();
  });

  it("with InfluxDB down at start and for a while, ingest goes on and every point is written once it is back", async () => {
    proxy = await FlakyProxy.start(url());
    proxy.mode = "down";
    const q = queueFor(await writerTo(proxy.url));
    await day.startFeature(q);
    await day.play(); // the whole day is ingested while the database is away
    // The "10 minutes" outage, shortened: backoff 50 → 400 ms over 1.2 s.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(q.queued()).toBeGreaterThan(0);
    expect(proxy.requests).toBeGreaterThan(2);
    proxy.mode = "up";
    await q.idle(10_000);
    await expectTheDay();
  });

  it("down under load: the queue keeps its bound by dropping the oldest samples, counted, keeps every count, and writes the rest once back", async () => {
    proxy = await FlakyProxy.start(url());
    proxy.mode = "down";
    const registry = new Registry();
    queue = new PointQueue(
      new PointSpool(join(day.dir, "load.sqlite")),
      await writerTo(proxy.url),
      pino({ level: "silent" }),
      registry,
      { ...quick, maxPoints: 200 },
    );
    await day.startFeature(queue);
    await day.play(); // the day's 5 door_event counts and its samples, all held
    // A network's samples while the database is away: 1 000 of them, ten at a time.
    const loadSample = (n: number): TimeSeriesPoint => ({
      measurement: "occupancy",
      tags: { centre: "load", zone: "all" },
      fields: { headcount: int(n) },
      timeMs: dayMidnightMs + 86_400_000 + n * 1000,
    });
    for (let n = 0; n < 1000; n += 10) {
      queue.enqueue(Array.from({ length: 10 }, (_, i) => loadSample(n + i)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(queue.queued()).toBe(200);
    const dropped = await registry
      .getSingleMetric("passerelle_timeseries_points_dropped_total")
      ?.get();
    const droppedAs = (reason: string) =>
      dropped?.values.find((v) => v.labels.reason === reason)?.value ?? 0;
    expect(droppedAs("queue-full-count")).toBe(0);
    expect(droppedAs("queue-full-sample")).toBeGreaterThanOrEqual(800);

    proxy.mode = "up";
    await queue.idle(10_000);
    // Kept: the 5 counts and the 195 newest samples, i.e. load samples 805 … 999; the day's own
    // samples were older and went first.
    const counts = await query(url(), db, `SELECT sum("count") AS n FROM door_event`);
    expect(counts[0]?.n).toBe(5);
    const load = await query(
      url(),
      db,
      `SELECT count(headcount) AS n, min(headcount) AS first, max(headcount) AS last FROM occupancy WHERE centre = 'load'`,
    );
    expect(load[0]).toMatchObject({ n: 195, first: 805, last: 999 });
    // Each point kept was written once.
    const written = await registry
      .getSingleMetric("passerelle_timeseries_points_written_total")
      ?.get();
    expect(written?.values.reduce((sum, v) => sum + v.value, 0)).toBe(200);
  });

  it("drops a point InfluxDB refuses (400, field type conflict), counts it, and writes the others", async () => {
    const writer = await writerTo(url());
    // The series exists with a string field: an integer for it is a type conflict.
    // (Field types are per shard: the conflicting point is written at the same time.)
    await fetch(`${url()}/write?db=${db}&precision=ms`, {
      method: "POST",
      body: `occupancy,centre=x,zone=all headcount="n/a" ${dayMidnightMs}`,
    });
    const registry = new Registry();
    queue = new PointQueue(
      new PointSpool(join(day.dir, "q.sqlite")),
      writer,
      pino({ level: "silent" }),
      registry,
      quick,
    );
    const bad: TimeSeriesPoint = {
      measurement: "occupancy",
      tags: { centre: "x", zone: "all" },
      fields: { headcount: int(3) },
      timeMs: dayMidnightMs,
    };
    const good = (n: number): TimeSeriesPoint => ({
      measurement: "alarm",
      tags: { centre: "redu", door: "d1", kind: "held-open" },
      fields: { active: int(n % 2) },
      timeMs: dayMidnightMs + n,
    });
    queue.enqueue([good(1), good(2), bad, good(3), good(4)]);
    await queue.idle(10_000);
    const rows = await query(url(), db, "SELECT count(active) AS n FROM alarm");
    expect(rows[0]?.n).toBe(4);
    const dropped = await registry
      .getSingleMetric("passerelle_timeseries_points_dropped_total")
      ?.get();
    expect(dropped?.values.find((v) => v.labels.reason === "rejected")?.value).toBe(1);
  });

  it("with InfluxDB taking 5 s per write, ingest does not wait and the points arrive after", async () => {
    proxy = await FlakyProxy.start(url());
    proxy.delayMs = 5_000;
    const q = queueFor(await writerTo(proxy.url));
    await day.startFeature(q);
    await day.play();
    // The day's ingest (store, sessions) is done while no write has been answered yet: it
    // did not wait on the database (a behaviour check, not a stopwatch).
    expect(proxy.answered).toBe(0);
    await q.idle(20_000);
    await expectTheDay();
  }, 30_000);
});
