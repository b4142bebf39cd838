import { FieldType, InfluxDB, type IPoint, type ISchemaOptions } from "influx";
import { ExponentialBackoff } from "influx/lib/src/backoff/exponential.js";
import {
  type TimeSeriesPoint,
  TimeSeriesWriteError,
  type TimeSeriesWriter,
} from "../ports/timeSeries.js";
import { measurementSchemas } from "./measurements.js";

export interface InfluxV1Options {
  /** http(s)://host:port of InfluxDB 1.x (or anything serving its /write). */
  readonly url: string;
  readonly database: string;
  readonly username?: string;
  readonly password?: string;
  readonly timeoutMs?: number;
}

/** The `influx` client's schema: it is what makes an integer field go out with its `i`. */
function schemas(database: string): ISchemaOptions[] {
  return Object.entries(measurementSchemas).map(([measurement, schema]) => ({
    measurement,
    database,
    tags: [...schema.tags],
    fields: Object.fromEntries([
      ...schema.ints.map((name) => [name, FieldType.INTEGER]),
      ...schema.floats.map((name) => [name, FieldType.FLOAT]),
    ]),
  }));
}

function toIPoint(point: TimeSeriesPoint): IPoint {
  return {
    measurement: point.measurement,
    tags: { ...point.tags },
    fields: Object.fromEntries(
      Object.entries(point.fields).map(([name, value]) => [
        name,
        "int" in value ? value.int : value.float,
      ]),
    ),
    timestamp: point.timeMs,
  };
}

/** InfluxDB 1.x `/write` through the `influx` npm package (the default client). */
export class InfluxV1Writer implements TimeSeriesWriter {
  readonly name = "influx-v1";
  private readonly client: InfluxDB;

  constructor(private readonly options: InfluxV1Options) {
    const url = new URL(options.url);
    this.client = new InfluxDB({
      hosts: [
        {
          host: url.hostname,
          port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          protocol: url.protocol === "https:" ? "https" : "http",
          ...(url.pathname !== "/" ? { path: url.pathname.replace(/\/+$/, "") } : {}),
        },
      ],
      database: options.database,
      ...(options.username ? { username: options.username } : {}),
      ...(options.password ? { password: options.password } : {}),
      schema: schemas(options.database),
      // The queue (pointQueue.ts) retries with its own backoff; the pool must answer at once.
      // The pool would also take the host out for its own growing backoff after a failure
      // ("No host available" without trying); a flat 10 ms keeps it out of the way.
      pool: {
        maxRetries: 0,
        requestTimeout: options.timeoutMs ?? 10_000,
        backoff: new ExponentialBackoff({ initial: 10, max: 10, random: 0 }),
      },
    });
  }

  /** CREATE DATABASE is idempotent in 1.x; the demo and the tests call it, production may not. */
  async createDatabase(): Promise<void> {
    await this.client.createDatabase(this.options.database);
  }

  async write(points: readonly TimeSeriesPoint[]): Promise<void> {
    try {
      await this.client.writePoints(points.map(toIPoint), { precision: "ms" });
    } catch (error) {
      const message = (error as Error).message;
      // The client's RequestError says "A 400 Bad Request error occurred: …"; 5xx and
      // unreachable hosts are ServiceNotAvailableError or socket errors.
      const status = /^A (\d{3}) /.exec(message)?.[1];
      const rejected = status !== undefined && Number(status) >= 400 && Number(status) < 500;
      throw new TimeSeriesWriteError(message, rejected);
    }
  }
}
