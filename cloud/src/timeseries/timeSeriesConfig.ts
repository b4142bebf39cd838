import { join } from "node:path";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { TimeSeriesWriter } from "../ports/timeSeries.js";
import { InfluxV1Writer } from "./influxV1Writer.js";
import { InfluxV2Writer } from "./influxV2Writer.js";
import { defaultQueueOptions, PointQueue, type PointQueueOptions } from "./pointQueue.js";
import { PointSpool } from "./pointSpool.js";

/** Where the cloud writes its time series (docs/operations.md "Time series"). */
export type TimeSeriesConfig =
  | {
      readonly client: "v1";
      readonly url: string;
      readonly database: string;
      readonly username?: string;
      readonly password?: string;
      readonly queue?: Partial<PointQueueOptions>;
    }
  | {
      readonly client: "v2";
      readonly url: string;
      readonly token?: string;
      readonly org: string;
      readonly bucket: string;
      readonly queue?: Partial<PointQueueOptions>;
    };

export function timeSeriesWriter(config: TimeSeriesConfig): TimeSeriesWriter {
  return config.client === "v1"
    ? new InfluxV1Writer({
        url: config.url,
        database: config.database,
        ...(config.username ? { username: config.username } : {}),
        ...(config.password ? { password: config.password } : {}),
      })
    : new InfluxV2Writer({
        url: config.url,
        org: config.org,
        bucket: config.bucket,
        ...(config.token ? { token: config.token } : {}),
      });
}

/** The queue file lives in the data directory, next to the SQLite store and the signing key. */
export const spoolFileName = "timeseries-queue.sqlite";

export function openPointQueue(
  config: TimeSeriesConfig,
  dataDir: string,
  logger: Logger,
  registry: Registry,
  writer: TimeSeriesWriter = timeSeriesWriter(config),
): PointQueue {
  return new PointQueue(new PointSpool(join(dataDir, spoolFileName)), writer, logger, registry, {
    ...defaultQueueOptions,
    ...config.queue,
  });
}
