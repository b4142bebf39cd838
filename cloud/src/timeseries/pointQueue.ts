import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { counterIn, gaugeIn } from "../broker/metricRegistry.js";
import type { TimeSeriesPoint, TimeSeriesWriter } from "../ports/timeSeries.js";
import { TimeSeriesWriteError } from "../ports/timeSeries.js";
import type { PointKind, PointSpool, SpooledPoint } from "./pointSpool.js";

export interface PointQueueOptions {
  /** Most points kept on disk while the database is away (default 500 000, ~100 MB). */
  readonly maxPoints: number;
  /** Points per write (default 5 000: InfluxDB's advice is 5 000 to 10 000 lines). */
  readonly batchSize: number;
  /** How long points gather in memory before they go to disk and out (default 1 s). */
  readonly flushMs: number;
  /** Backoff after a failed write: doubles from min to max (defaults 1 s and 60 s). */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

export const defaultQueueOptions: PointQueueOptions = {
  maxPoints: 500_000,
  batchSize: 5_000,
  flushMs: 1_000,
  retryMinMs: 1_000,
  retryMaxMs: 60_000,
};

/**
 * Batches points and writes them, never making a caller wait (docs/dashboards.md "Writing").
 * `enqueue` only pushes to memory. Every `flushMs` the points go to the spool (disk) and one
 * drain at a time writes the oldest `batchSize` of it; a point leaves the spool only once the
 * database accepted it (or refused it for good). A failed write is retried with a doubling
 * backoff. A batch the database refuses (4xx) is split in halves until the bad points are
 * alone: those are dropped and counted, the others written.
 *
 * The bound: past `maxPoints` on disk, the oldest samples are dropped first (the next minute's
 * sample replaces them); door_event counts only when no sample is left, each drop counted in
 * `passerelle_timeseries_points_dropped_total{reason="queue-full-count"}` and logged at error
 * level with its period, which `cloud backfill` rebuilds from the store.
 */
export class PointQueue {
  private memory: TimeSeriesPoint[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushImmediate = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private backoffMs: number;
  private stopped = false;
  private readonly log: Logger;
  private readonly metrics;

  constructor(
    private readonly spool: PointSpool,
    private readonly writer: TimeSeriesWriter,
    logger: Logger,
    registry: Registry,
    private readonly options: PointQueueOptions = defaultQueueOptions,
  ) {
    this.log = logger.child({ module: "cloud:timeseries", writer: writer.name });
    this.backoffMs = options.retryMinMs;
    this.metrics = {
      written: counterIn(
        registry,
        "passerelle_timeseries_points_written_total",
        "Points the time-series database accepted",
      ),
      dropped: counterIn(
        registry,
        "passerelle_timeseries_points_dropped_total",
        "Points given up: queue-full-sample, queue-full-count (rebuild with cloud backfill), rejected (4xx)",
        ["reason"],
      ),
      failures: counterIn(
        registry,
        "passerelle_timeseries_write_failures_total",
        "Writes that failed and will be retried (database down, 5xx, timeout)",
      ),
      queued: gaugeIn(
        registry,
        "passerelle_timeseries_queue_points",
        "Points waiting on disk for the time-series database",
      ),
    };
    this.metrics.queued.set(spool.size());
  }

  /** Synchronous and cheap: the ingest, the API and the door path call it and move on. */
  enqueue(points: readonly TimeSeriesPoint[]): void {
    if (this.stopped || points.length === 0) return;
    this.memory.push(...points);
    if (this.memory.length >= this.options.batchSize) this.flushSoon(0);
    else this.flushSoon(this.options.flushMs);
  }

  /** Points on disk not yet written (the memory buffer not counted). */
  queued(): number {
    return this.spool.size();
  }

  /** Starts writing what a previous run left on disk. */
  start(): void {
    if (this.spool.size() > 0) this.kick();
  }

  /**
   * Moves the memory buffer to disk and waits for the drain under way (not for a database
   * that is down: what is on disk waits for the next start).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.retryTimer);
    this.toDisk();
    await this.draining;
    this.spool.close();
  }

  /** Resolves once memory and disk are empty (tests, the backfill, the benchmark). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.memory.length > 0 || this.spool.size() > 0 || this.draining !== undefined) {
      if (Date.now() > deadline)
        throw new Error(`time-series queue not empty after ${timeoutMs} ms`);
      this.flushSoon(0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private flushSoon(delayMs: number): void {
    // One timer at a time; only a due batch replaces a later timer by an immediate one.
    if (this.flushTimer !== undefined && (delayMs > 0 || this.flushImmediate)) return;
    this.flushImmediate = delayMs === 0;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushImmediate = false;
      this.toDisk();
      this.kick();
    }, delayMs);
    this.flushTimer.unref();
  }

  private toDisk(): void {
    if (this.memory.length === 0) return;
    const points = this.memory;
    this.memory = [];
    try {
      this.spool.append(points);
    } catch (error) {
      this.log.error({ err: error, points: points.length }, "time-series spool write failed");
      this.metrics.dropped.inc({ reason: "spool-error" }, points.length);
      return;
    }
    this.enforceBound();
    this.metrics.queued.set(this.spool.size());
  }

  private enforceBound(): void {
    let excess = this.spool.size() - this.options.maxPoints;
    for (const kind of ["sample", "count"] as const satisfies readonly PointKind[]) {
      if (excess <= 0) return;
      const range = this.spool.dropOldest(kind, excess);
      if (range.dropped === 0) continue;
      excess -= range.dropped;
      this.metrics.dropped.inc({ reason: `queue-full-${kind}` }, range.dropped);
      const period = {
        from: range.fromMs === null ? null : new Date(range.fromMs).toISOString(),
        to: range.toMs === null ? null : new Date(range.toMs).toISOString(),
      };
      if (kind === "count") {
        this.log.error(
          { dropped: range.dropped, ...period, maxPoints: this.options.maxPoints },
          "time-series queue full: oldest door_event counts dropped; run cloud backfill for this period",
        );
      } else {
        this.log.warn(
          { dropped: range.dropped, ...period, maxPoints: this.options.maxPoints },
          "time-series queue full: oldest samples dropped",
        );
      }
    }
  }

  private kick(): void {
    if (this.draining !== undefined || this.retryTimer !== undefined || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = this.spool.oldest(this.options.batchSize);
      if (batch.length === 0) return;
      try {
        await this.writeSplitting(batch);
      } catch (error) {
        this.metrics.failures.inc();
        this.log.warn(
          { err: (error as Error).message, queued: this.spool.size(), retryInMs: this.backoffMs },
          "time-series write failed; points stay queued",
        );
        if (this.stopped) return;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, this.backoffMs);
        this.retryTimer.unref();
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.retryMaxMs);
        return;
      }
      this.backoffMs = this.options.retryMinMs;
      this.metrics.queued.set(this.spool.size());
      if (this.stopped) return;
    }
  }

  /** Writes a batch; a refused one is halved until the refused points are alone. */
  private async writeSplitting(batch: readonly SpooledPoint[]): Promise<void> {
    try {
      await this.writer.write(batch.map((item) => item.point));
    } catch (error) {
      if (!(error instanceof TimeSeriesWriteError) || !error.rejected) throw error;
      if (batch.length === 1) {
        this.metrics.dropped.inc({ reason: "rejected" });
        this.log.warn(
          { err: error.message, measurement: batch[0]?.point.measurement },
          "time-series point refused by the database; dropped",
        );
        this.spool.remove(batch.map((item) => item.rowId));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.writeSplitting(batch.slice(0, half));
      await this.writeSplitting(batch.slice(half));
      return;
    }
    this.metrics.written.inc(batch.length);
    this.spool.remove(batch.map((item) => item.rowId));
  }
}
