import { join } from "node:path";
import { provideService, serviceOf } from "@passerelle/testkit";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { InfluxV2Writer } from "../../src/timeseries/influxV2Writer.js";
import { PointQueue } from "../../src/timeseries/pointQueue.js";
import { PointSpool } from "../../src/timeseries/pointSpool.js";
import { FlakyProxy } from "./flakyProxy.js";
import { dayMidnightMs, SimulatedDay } from "./simulatedDay.js";

const victoria = await provideService("victoriaMetrics");

interface Exported {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** VictoriaMetrics names a field `<measurement>_<field>`; its export API gives every sample. */
async function exported(url: string, selector: string): Promise<Exported[]> {
  await fetch(`${url}/internal/force_flush`);
  const response = await fetch(
    `${url}/api/v1/export?match[]=${encodeURIComponent(selector)}&start=0`,
  );
  const text = (await response.text()).trim();
  return text === "" ? [] : text.split("\n").map((line) => JSON.parse(line) as Exported);
}

describe.skipIf(!victoria.available)(
  "time series through the v2 write API (VictoriaMetrics)",
  () => {
    let day: SimulatedDay;
    let queue: PointQueue | undefined;
    let proxy: FlakyProxy | undefined;
    const url = () => serviceOf(victoria).url;

    afterAll(() => serviceOf(victoria).stop());
    beforeEach(async () => {
      day = await SimulatedDay.create();
    });
    afterEach(async () => {
      await queue?.stop();
      queue = undefined;
      await proxy?.stop();
      proxy = undefined;
      await day.close();
    });

    it("writes the day's series, down at start, and they export with the figures computed by hand", async () => {
      proxy = await FlakyProxy.start(url());
      proxy.mode = "down";
      const writer = new InfluxV2Writer({
        url: proxy.url,
        org: "passerelle",
        bucket: "passerelle",
      });
      queue = new PointQueue(
        new PointSpool(join(day.dir, "timeseries-queue.sqlite")),
        writer,
        pino({ level: "silent" }),
        new Registry(),
        { maxPoints: 10_000, batchSize: 500, flushMs: 20, retryMinMs: 50, retryMaxMs: 200 },
      );
      await day.startFeature(queue);
      await day.play();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(queue.queued()).toBeGreaterThan(0);
      proxy.mode = "up";
      await queue.idle(10_000);

      const counts = await exported(url(), '{__name__="door_event_count",centre="redu"}');
      const byDecision = Object.fromEntries(
        counts.map((series) => [
          `${series.metric.decision}/${series.metric.reason}`,
          series.values.reduce((sum, v) => sum + v, 0),
        ]),
      );
      expect(byDecision).toEqual({ "granted/none": 4, "denied/unknown-badge": 1 });

      const [headcount] = await exported(
        url(),
        '{__name__="occupancy_headcount",centre="redu",zone="all"}',
      );
      expect(headcount?.values).toEqual([1, 2, 1, 0, 0]);

      const [minutes] = await exported(url(), '{__name__="presence_day_minutes",centre="redu"}');
      expect(minutes?.timestamps).toEqual([dayMidnightMs]);
      expect(minutes?.values).toEqual([330]);
      const [users] = await exported(url(), '{__name__="presence_day_users",centre="redu"}');
      expect(users?.values).toEqual([2]);
    });
  },
);
