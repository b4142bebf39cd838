import { provideService, serviceOf } from "@passerelle/testkit";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { StoreOccupancyHistory } from "../../src/adapters/storeOccupancyHistory.js";
import { weekViewFigures } from "../../src/occupancy/occupancyHistoryFigures.js";
import { hourMs, type OccupancyHistory } from "../../src/ports/occupancyHistory.js";
import { int, type TimeSeriesPoint } from "../../src/ports/timeSeries.js";
import { InfluxOccupancyHistory } from "../../src/timeseries/influxOccupancyHistory.js";
import { InfluxV1Writer } from "../../src/timeseries/influxV1Writer.js";
import { SimulatedDay } from "./simulatedDay.js";

const influx = await provideService("influx");
const silent = pino({ level: "silent" });

/*
 * Monday 2026-11-23 at Redu (Europe/Brussels, +01:00), as the gateways' head counts:
 *   08:50 → 1, 09:10 → 3, 09:40 → 2, (nothing during 10 h), 11:05 → 0
 *   → hours (local) 8 h: peak 1 last 1; 9 h: peak 3 last 2; 10 h: peak 2 last 2 (held);
 *     11 h: peak 2 (held until 11:05) last 0; 12 h: 0.
 * The Monday before: 09:30 → 4, 10:30 → 0 → 9 h: 4, 10 h: 4. Two weeks before: 10:00 → 2,
 * 10:59 → 0 → 10 h: 2. The Sunday between (2026-11-22, 09:00 → 9, 18:00 → 0) must not count.
 */
const local = (date: string, time: string) => Date.parse(`${date}T${time}:00+01:00`);
const sample = (timeMs: number, headcount: number, centre = "redu"): TimeSeriesPoint => ({
  measurement: "occupancy",
  tags: { centre, zone: "all" },
  fields: { headcount: int(headcount), capacity: int(10) },
  timeMs,
});

describe.skipIf(!influx.available)("past occupancy read back from a real influxd 1.x", () => {
  const db = `passerelle_history_${process.pid}`;
  afterAll(() => serviceOf(influx).stop());

  async function filled(): Promise<OccupancyHistory> {
    const writer = new InfluxV1Writer({ url: serviceOf(influx).url, database: db });
    await writer.createDatabase();
    await writer.write([
      sample(local("2026-11-23", "08:50"), 1),
      sample(local("2026-11-23", "09:10"), 3),
      sample(local("2026-11-23", "09:40"), 2),
      sample(local("2026-11-23", "11:05"), 0),
      sample(local("2026-11-16", "09:30"), 4),
      sample(local("2026-11-16", "10:30"), 0),
      sample(local("2026-11-09", "10:00"), 2),
      sample(local("2026-11-09", "10:59"), 0),
      sample(local("2026-11-22", "09:00"), 9),
      sample(local("2026-11-22", "18:00"), 0),
      // Another centre and a zone: neither is Redu's total.
      sample(local("2026-11-23", "09:20"), 7, "ciney"),
      { ...sample(local("2026-11-23", "09:20"), 8), tags: { centre: "redu", zone: "room-a" } },
    ]);
    return new InfluxOccupancyHistory({ url: serviceOf(influx).url, database: db });
  }

  it("gives each hour's peak and last count, holding the count through hours without a sample", async () => {
    const history = await filled();
    const from = local("2026-11-23", "08:00");
    const hours = await history.hours("redu", from, from + 5 * hourMs);
    expect(hours).toEqual([
      { hourMs: from, peak: 1, last: 1 },
      { hourMs: from + hourMs, peak: 3, last: 2 },
      { hourMs: from + 2 * hourMs, peak: 2, last: 2 },
      { hourMs: from + 3 * hourMs, peak: 2, last: 0 },
      { hourMs: from + 4 * hourMs, peak: 0, last: 0 },
    ]);
    // Starting mid-outage, the count in force comes from before the range.
    const later = await history.hours("redu", from + 2 * hourMs, from + 3 * hourMs);
    expect(later).toEqual([{ hourMs: from + 2 * hourMs, peak: 2, last: 2 }]);
  });

  it("compares a Monday with the Mondays before it, not with the day before", async () => {
    const history = await filled();
    const week = await weekViewFigures(
      { preferred: [history], logger: silent },
      { id: "redu", name: "Redu", timeZone: "Europe/Brussels", capacity: 10 },
      local("2026-11-23", "13:30"),
      2,
    );
    expect(week.source).toBe("influxdb");
    expect(week.comparedDates).toEqual(["2026-11-16", "2026-11-09"]);
    const byHour = (hour: number) => week.hours[hour];
    expect(byHour(8)).toEqual({ hour: 8, today: 1, typical: 0 });
    expect(byHour(9)).toEqual({ hour: 9, today: 3, typical: 2 }); // (4 + 0) / 2
    expect(byHour(10)).toEqual({ hour: 10, today: 2, typical: 3 }); // (4 + 2) / 2
    expect(byHour(11)).toEqual({ hour: 11, today: 2, typical: 0 });
    expect(byHour(13)).toEqual({ hour: 13, today: 0, typical: 0 });
    expect(byHour(14)).toEqual({ hour: 14, today: null, typical: 0 });
  });

  it("reads the store when InfluxDB does not answer, and says so", async () => {
    // The store's day (simulatedDay.ts): Ana 09:00–11:37 and Ben 09:30–12:10 that Monday.
    const day = await SimulatedDay.create();
    try {
      await day.startFeature({ enqueue: () => {} });
      await day.play();
      const down = new InfluxOccupancyHistory({ url: "http://127.0.0.1:9", database: db });
      const week = await weekViewFigures(
        { preferred: [down, new StoreOccupancyHistory(day.world.deps)], logger: silent },
        { id: "redu", name: "Redu", timeZone: "Europe/Brussels", capacity: 10 },
        local("2026-11-23", "13:30"),
        1,
      );
      expect(week.source).toBe("store");
      expect(week.hours.slice(8, 14).map((h) => h.today)).toEqual([0, 2, 2, 2, 1, 0]);
      expect(week.hours[14]?.today).toBeNull();
    } finally {
      await day.close();
    }
  });
});
