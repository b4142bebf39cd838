import { type HourFigure, hourMs, type OccupancyHistory } from "../ports/occupancyHistory.js";

export interface InfluxReadOptions {
  readonly url: string;
  readonly database: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
}

/** How far back the count in force at the start of a range is looked for. */
const carryLookBackMs = 7 * 24 * hourMs;

interface InfluxQlSeries {
  readonly columns: string[];
  readonly values: (number | null)[][];
}
interface InfluxQlAnswer {
  readonly results?: { readonly series?: InfluxQlSeries[]; readonly error?: string }[];
  readonly error?: string;
}

/** An InfluxQL string literal (InfluxQL escapes a quote with a backslash). */
const literal = (value: string) => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * Past occupancy from the `occupancy` measurement InfluxDB 1.x holds (the gateways' head count,
 * zone "all"): max and last per hour in one InfluxQL request, plus the last count before the
 * range. Only the `influx` (1.x) client's database is read: a v2 endpoint speaks Flux or
 * nothing (victoria-metrics), so with that client the console reads the store.
 */
export class InfluxOccupancyHistory implements OccupancyHistory {
  readonly source = "influxdb";

  constructor(private readonly options: InfluxReadOptions) {}

  async hours(centreId: string, fromMs: number, toMs: number): Promise<HourFigure[]> {
    const where = `"centre" = ${literal(centreId)} AND "zone" = 'all'`;
    const statements = [
      `SELECT last("headcount") FROM "occupancy" WHERE ${where} AND time >= ${fromMs - carryLookBackMs}ms AND time < ${fromMs}ms`,
      `SELECT max("headcount") AS peak, last("headcount") AS last FROM "occupancy" WHERE ${where} AND time >= ${fromMs}ms AND time < ${toMs}ms GROUP BY time(1h) fill(none)`,
    ];
    const [before, within] = await this.query(statements.join("; "));
    let current = before?.[0]?.values[0]?.[1] ?? 0;
    const byHour = new Map<number, { peak: number; last: number }>();
    const series = within?.[0];
    const at = (name: string) => series?.columns.indexOf(name) ?? -1;
    for (const row of series?.values ?? []) {
      const [time, peak, last] = [row[at("time")], row[at("peak")], row[at("last")]];
      if (typeof time === "number" && typeof peak === "number" && typeof last === "number") {
        byHour.set(time, { peak, last });
      }
    }
    const figures: HourFigure[] = [];
    for (let start = fromMs; start < toMs; start += hourMs) {
      const hour = byHour.get(start);
      // The count held from before the first change of the hour was inside too.
      const peak = hour === undefined ? current : Math.max(current, hour.peak);
      current = hour?.last ?? current;
      figures.push({ hourMs: start, peak, last: current });
    }
    return figures;
  }

  private async query(q: string): Promise<(InfluxQlSeries[] | undefined)[]> {
    const url = new URL(
      "query",
      this.options.url.endsWith("/") ? this.options.url : `${this.options.url}/`,
    );
    url.searchParams.set("db", this.options.database);
    url.searchParams.set("epoch", "ms");
    url.searchParams.set("q", q);
    const headers: Record<string, string> = {};
    if (this.options.username !== undefined) {
      const pair = `${this.options.username}:${this.options.password ?? ""}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
    }
    const response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body = (await response.json().catch(() => ({}))) as InfluxQlAnswer;
    const failure = body.error ?? body.results?.find((r) => r.error !== undefined)?.error;
    if (!response.ok || failure !== undefined || body.results === undefined) {
      throw new Error(`InfluxDB query failed: HTTP ${response.status} ${failure ?? ""}`.trim());
    }
    return body.results.map((result) => result.series);
  }
}
