import type { Logger } from "pino";
import type { EventSink, GatewayEventBatch, StoredUpTo } from "../ports/eventSink.js";
import type { IngestMetrics } from "./ingestMetrics.js";

export interface EventBatcherOptions {
  sink: EventSink;
  /** Publishes `{upToSeq}` to the gateway; called only after the commit that stored it. */
  ack(gatewayId: string, upToSeq: number): Promise<void>;
  /** After each commit, for consumers (presence sessions, audit): the batches and what was new. */
  onCommitted(batches: readonly GatewayEventBatch[], stored: readonly StoredUpTo[]): void;
  /** Wait this long for more messages before committing; 0: until this loop turn's I/O is read. */
  maxDelayMs: number;
  /** Commit as soon as this many events wait; also the most one transaction takes. */
  maxEvents: number;
  metrics: IngestMetrics;
  logger: Logger;
}

/**
 * Group commit for events (docs/cloud-mqtt.md "Group commit and the application ack"): messages are collected (for `maxDelayMs`, or what
 * arrives in one event-loop turn, or up to `maxEvents`), written in one transaction, and only
 * then acked. One commit runs at a time;
 * what arrives meanwhile is committed right after it, so under load the batches grow by
 * themselves and the per-transaction cost (fsync) is shared by many events.
 *
 * The ack for a gateway is the highest seq of its events in the commit. That is safe because a
 * gateway sends the oldest events of its outbox first, in seq order, one batch in flight
 * (gateway/src/mqtt/eventUplink.ts): a batch ending at seq N holds every event the gateway still
 * keeps with seq ≤ N, so once it is committed nothing at or below N exists only on the gateway.
 * A failed commit acks nothing; the gateway re-sends after its ack timeout.
 */
export class EventBatcher {
  private pending: GatewayEventBatch[] = [];
  private pendingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  /** Highest seq acked per gateway in this process, to notice gaps (logged, not blocking). */
  private readonly acked = new Map<string, number>();
  private readonly log: Logger;

  constructor(private readonly options: EventBatcherOptions) {
    this.log = options.logger.child({ module: "cloud:ingest" });
  }

  add(batch: GatewayEventBatch): void {
    this.pending.push(batch);
    this.pendingEvents += batch.events.length;
    this.schedule();
  }

  /** Commits everything waiting, including what arrives while doing so (for stop()). */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    while (this.flushing || this.pending.length > 0) {
      await (this.flushing ?? this.flush());
    }
  }

  private schedule(): void {
    if (this.flushing || this.pending.length === 0) return;
    if (this.pendingEvents >= this.options.maxEvents) {
      clearTimeout(this.timer);
      this.timer = undefined;
      clearImmediate(this.immediate);
      this.immediate = undefined;
      void this.flush();
    } else if (!this.timer && !this.immediate) {
      if (this.options.maxDelayMs <= 0) {
        // After the I/O callbacks of this loop turn: every message already read joins the commit.
        this.immediate = setImmediate(() => {
          this.immediate = undefined;
          void this.flush();
        });
      } else {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, this.options.maxDelayMs);
      }
    }
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.immediate);
    this.immediate = undefined;
    const batches = this.take();
    if (batches.length === 0) return Promise.resolve();
    this.flushing = this.commit(batches).finally(() => {
      this.flushing = undefined;
      // What came in during the commit has already waited long enough: commit it now.
      if (this.pending.length > 0) void this.flush();
    });
    return this.flushing;
  }

  /** Whole messages, up to about maxEvents events. */
  private take(): GatewayEventBatch[] {
    let count = 0;
    let index = 0;
    while (index < this.pending.length && (index === 0 || count < this.options.maxEvents)) {
      count += this.pending[index]?.events.length ?? 0;
      index += 1;
    }
    const taken = this.pending.splice(0, index);
    this.pendingEvents -= count;
    return taken;
  }

  private async commit(batches: GatewayEventBatch[]): Promise<void> {
    const { sink, metrics } = this.options;
    const stopTimer = metrics.commitSeconds.startTimer();
    let stored: readonly StoredUpTo[];
    try {
      stored = await sink.storeBatch(batches);
    } catch (error) {
      metrics.storeFailures.inc();
      this.log.error(
        { err: error, gateways: [...new Set(batches.map((b) => b.gatewayId))] },
        "event commit failed; nothing acked, gateways will re-send",
      );
      return;
    } finally {
      stopTimer();
    }
    const total = batches.reduce((sum, b) => sum + b.events.length, 0);
    const inserted = stored.reduce((sum, s) => sum + s.inserted, 0);
    metrics.eventsStored.inc(inserted);
    metrics.eventsDuplicate.inc(total - inserted);
    this.noticeGaps(batches);
    for (const { gatewayId, upToSeq } of stored) this.sendAck(gatewayId, upToSeq);
    try {
      this.options.onCommitted(batches, stored);
    } catch (error) {
      this.log.error({ err: error }, "a consumer of committed events failed");
    }
  }

  private sendAck(gatewayId: string, upToSeq: number): void {
    this.acked.set(gatewayId, Math.max(upToSeq, this.acked.get(gatewayId) ?? 0));
    this.options.ack(gatewayId, upToSeq).then(
      () => this.options.metrics.acks.inc(),
      (error: unknown) => {
        this.options.metrics.ackFailures.inc();
        this.log.warn(
          { err: error, gatewayId, upToSeq },
          "ack not published; gateway will re-send",
        );
      },
    );
  }

  private noticeGaps(batches: readonly GatewayEventBatch[]): void {
    const reached = new Map<string, number>();
    for (const batch of batches) {
      const seqs = batch.events.map((e) => e.seq);
      const first = Math.min(...seqs);
      const last = reached.get(batch.gatewayId) ?? this.acked.get(batch.gatewayId);
      if (last !== undefined && first > last + 1) {
        this.options.metrics.seqGaps.inc();
        this.log.warn(
          { gatewayId: batch.gatewayId, lastAcked: last, firstSeq: first },
          "events arrive past a gap in seq",
        );
      }
      reached.set(batch.gatewayId, Math.max(last ?? 0, ...seqs));
    }
  }
}
