import { HttpError, InfluxDB, Point, setLogger } from "@influxdata/influxdb-client";
import {
  type TimeSeriesPoint,
  TimeSeriesWriteError,
  type TimeSeriesWriter,
} from "../ports/timeSeries.js";

export interface InfluxV2Options {
  /** InfluxDB 2.x, 1.8+ (compat), 3 Core, or VictoriaMetrics: anything serving /api/v2/write. */
  readonly url: string;
  readonly token?: string;
  readonly org: string;
  readonly bucket: string;
  readonly timeoutMs?: number;
}

function toPoint(point: TimeSeriesPoint): Point {
  const result = new Point(point.measurement).timestamp(point.timeMs);
  for (const [name, value] of Object.entries(point.tags)) result.tag(name, value);
  for (const [name, value] of Object.entries(point.fields)) {
    if ("int" in value) result.intField(name, value.int);
    else result.floatField(name, value.float);
  }
  return result;
}

/** The v2 write API through `@influxdata/influxdb-client`. */
export class InfluxV2Writer implements TimeSeriesWriter {
  readonly name = "influx-v2";
  private readonly client: InfluxDB;

  constructor(private readonly options: InfluxV2Options) {
    // The client prints each failed write to the console; the queue logs them once, as JSON.
    setLogger({ error: () => {}, warn: () => {} });
    this.client = new InfluxDB({
      url: options.url,
      ...(options.token ? { token: options.token } : {}),
      timeout: options.timeoutMs ?? 10_000,
    });
  }

  async write(points: readonly TimeSeriesPoint[]): Promise<void> {
    // One WriteApi per batch, its own buffering and retries off: the queue (pointQueue.ts) owns
    // batching, retry and backoff, so a failure reaches it at once and nothing is held twice.
    const api = this.client.getWriteApi(this.options.org, this.options.bucket, "ms", {
      batchSize: points.length + 1,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: points.length + 1,
    });
    api.writePoints(points.map(toPoint));
    try {
      await api.close();
    } catch (error) {
      const rejected =
        error instanceof HttpError && error.statusCode >= 400 && error.statusCode < 500;
      throw new TimeSeriesWriteError((error as Error).message, rejected);
    }
  }
}
