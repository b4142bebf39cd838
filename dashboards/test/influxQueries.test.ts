import { provideService, serviceOf } from "@passerelle/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CENTRE_VARIABLE_QUERY } from "../src/dashboards/centreVariable.js";
import { INFLUX_DATASOURCE_UID } from "../src/datasources.js";
import { expectationOf } from "../src/influxql/influxTarget.js";
import { everyTarget, type PanelTarget } from "./support/dashboardTargets.js";
import { expandGrafanaMacros } from "./support/grafanaMacros.js";
import { type InfluxSeries, influxQuery, influxWrite } from "./support/influxHttp.js";
import { DAY_START, RANGE, simulatedDay } from "./support/simulatedDay.js";

/*
 * Every InfluxQL query of every generated dashboard, run on a real influxd holding one
 * simulated day, as Grafana would send it.
 */

// Unique per run: a server given by URL (PASSERELLE_TEST_INFLUX_URL) may be shared.
const DATABASE = `dashboards_${process.pid}_${Date.now()}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const provision = await provideService("influx");

const influxTargets = everyTarget().filter(
  ({ target }) =>
    (target.datasource as { uid?: string } | undefined)?.uid === INFLUX_DATASOURCE_UID,
);

function shiftMs(panel: PanelTarget["panel"]): number {
  if (panel.timeShift === undefined) return 0;
  const match = /^(\d+)d$/.exec(panel.timeShift);
  if (match?.[1] === undefined) throw new Error(`timeShift ${panel.timeShift} not understood`);
  return Number(match[1]) * DAY;
}

describe.skipIf(!provision.available)("dashboard queries on influxd", () => {
  const url = provision.available ? serviceOf(provision).url : "";

  /** A target's query with Grafana's macros expanded for the simulated day and centre c1. */
  function run(entry: PanelTarget): Promise<InfluxSeries[]> {
    const shift = shiftMs(entry.panel);
    const query = expandGrafanaMacros(String(entry.target.query), {
      fromMs: RANGE.fromMs - shift,
      toMs: RANGE.toMs - shift,
      intervalMs: HOUR,
      variables: { centre: "c1" },
    });
    // A "$" left before a word is a macro or variable Grafana would have replaced.
    expect(query).not.toMatch(/\$\w/);
    return influxQuery(url, DATABASE, query);
  }

  function byTitle(title: string): PanelTarget {
    const entry = influxTargets.find(({ panel }) => panel.title === title);
    if (entry === undefined) throw new Error(`no panel ${title}`);
    return entry;
  }

  beforeAll(async () => {
    await influxQuery(url, DATABASE, `CREATE DATABASE "${DATABASE}"`);
    await influxWrite(url, DATABASE, simulatedDay());
  });
  afterAll(async () => {
    await influxQuery(url, DATABASE, `DROP DATABASE "${DATABASE}"`);
    await serviceOf(provision).stop();
  });

  it("finds InfluxQL queries in three dashboards, all built by the typed helper", () => {
    const dashboards = new Set(influxTargets.map(({ dashboard }) => dashboard));
    expect([...dashboards].sort()).toEqual([
      "centre.json",
      "doors-and-gateways.json",
      "network.json",
    ]);
    for (const { target } of influxTargets) expect(expectationOf(target)).toBeDefined();
  });

  it.each(
    influxTargets.map((entry) => [`${entry.dashboard}: ${entry.panel.title}`, entry] as const),
  )("%s returns the series and columns the panel expects", async (_name, entry) => {
    const expected = expectationOf(entry.target);
    if (expected === undefined) throw new Error("target not built by influxQuery()");
    const series = await run(entry);
    expect(series.length).toBeGreaterThan(0);
    for (const one of series) {
      expect(one.name).toBe(expected.measurement);
      expect(one.columns).toEqual(expected.columns);
      expect(Object.keys(one.tags ?? {}).sort()).toEqual([...expected.groupByTags].sort());
      expect(one.values.length).toBeGreaterThan(0);
    }
    const numbers = series.flatMap((one) => one.values.flatMap((row) => row.slice(1)));
    expect(numbers.some((value) => typeof value === "number")).toBe(true);
  });

  it("lists the centres for the $centre variable", async () => {
    const series = await influxQuery(url, DATABASE, CENTRE_VARIABLE_QUERY);
    expect(series[0]?.values.map((row) => row[1])).toEqual(["c1", "c2"]);
  });

  function valuesByTag(series: InfluxSeries[], tag: string): Record<string, unknown[][]> {
    return Object.fromEntries(series.map((one) => [one.tags?.[tag], one.values]));
  }

  it("answers the parliamentary question: occupancy rate per centre for the week", async () => {
    const series = valuesByTag(await run(byTitle("Occupancy rate per centre per week")), "centre");
    // c1: 60 of 144 points at 5 people, capacity 10 → 5·60/144/10 = 20.83 %; the open-space
    // zone (50 people) is not counted. c2: 18 points at 10, capacity 20 → 10·18/144/20 = 6.25 %.
    // One week bucket, starting Monday 30 November 00:00 UTC.
    expect(series.c1).toHaveLength(1);
    expect(series.c1?.[0]?.[0]).toBe(DAY_START);
    expect(series.c1?.[0]?.[1]).toBeCloseTo(((5 * 60) / 144 / 10) * 100, 6);
    expect(series.c2?.[0]?.[1]).toBeCloseTo(6.25, 6);
  });

  it("counts users per day at each centre's local midnight, and hours by centre", async () => {
    const users = valuesByTag(await run(byTitle("Users per day")), "centre");
    expect(users).toEqual({ c1: [[DAY_START - HOUR, 7]], c2: [[DAY_START, 4]] });
    const hours = valuesByTag(await run(byTitle("Hours by centre")), "centre");
    expect(hours.c1?.[0]?.[1]).toBe(30);
    expect(hours.c2?.[0]?.[1]).toBe(12);
  });

  it("shows when each centre last reported (centres stale)", async () => {
    const last = valuesByTag(await run(byTitle("Centres stale")), "centre");
    const lastPoint = DAY_START + DAY - 10 * 60_000;
    expect(last.c1?.[0]).toEqual([lastPoint, 0]);
    expect(last.c2?.[0]).toEqual([lastPoint, 0]);
  });

  it("plots one centre's headcount against its capacity, and today against a typical Monday", async () => {
    const [series] = await run(byTitle("Headcount vs capacity"));
    const nineOClock = series?.values.find((row) => row[0] === DAY_START + 9 * HOUR);
    expect(nineOClock).toEqual([DAY_START + 9 * HOUR, 5, 10]);
    const [weekday] = await run(byTitle("Today vs a typical day of the week"));
    // [time, today, typical] per hour; the hours after 12 have no "today" yet.
    const row = (hour: number) => weekday?.values.find((r) => r[0] === DAY_START + hour * HOUR);
    expect(row(7)).toEqual([DAY_START + 7 * HOUR, 0, 0]);
    expect(row(9)).toEqual([DAY_START + 9 * HOUR, 5, 1]);
    expect(row(12)).toEqual([DAY_START + 12 * HOUR, 5, 0]);
    expect(row(15)).toEqual([DAY_START + 15 * HOUR, null, 0]);
  });

  it("compares bookings with check-ins per hour", async () => {
    const [series] = await run(byTitle("Bookings vs used"));
    expect(series?.values).toEqual([
      [DAY_START + 9 * HOUR, 4, 3, 1],
      [DAY_START + 14 * HOUR, 2, 2, 0],
    ]);
  });

  it("counts denied badges by reason and door alarms by kind", async () => {
    const denied = valuesByTag(await run(byTitle("Denied badges by reason")), "reason");
    expect(denied["unknown-credential"]?.[0]?.[1]).toBe(2);
    expect(denied["outside-hours"]?.[0]?.[1]).toBe(1);
    const alarms = await run(byTitle("Held-open and forced-open alarms"));
    const kinds = alarms.map((one) => [one.tags?.centre, one.tags?.type]).sort();
    expect(kinds).toEqual([
      ["c1", "door.held-open"],
      ["c2", "door.forced-open"],
    ]);
  });

  it("reports card-to-relay latency percentiles", async () => {
    const [series] = await run(byTitle("Card-to-relay latency"));
    // Ten latencies 100..1000 ms in the 09:00 hour; InfluxDB's percentile is nearest-rank.
    expect(series?.values).toEqual([[DAY_START + 9 * HOUR, 500, 1000, 1000]]);
  });

  it("shows the offline gateway and its outbox in the last status", async () => {
    const rows = valuesByTag(await run(byTitle("Gateways: last status")), "gateway");
    // online, outbox_depth, clock_trusted, bundle_version
    expect(rows.g1?.[0]?.slice(1)).toEqual([1, 0, 1, 42]);
    expect(rows.g2?.[0]?.slice(1)).toEqual([0, 7, 0, 41]);
  });
});
