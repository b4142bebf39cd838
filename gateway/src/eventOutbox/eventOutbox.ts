import type { EventType, GatewayEvent, OnlineStatus } from "@passerelle/protocol";
import { type Logger, silentLogger } from "../core/logger.js";
import type { Outbox } from "../core/partTypes.js";
import { eventProblem, parseStoredEvent } from "./eventCheck.js";
import { defaultDroppableTypes, isCritical } from "./eventClasses.js";
import { OutboxError, sqliteCode } from "./outboxError.js";
import { type OutboxRow, OutboxStore, type QuarantinedRow } from "./outboxStore.js";

export interface EventOutboxOptions {
  /** The SQLite file, e.g. `${dataDir}/outbox.db`. */
  path: string;
  /** Unacked events held before droppable ones are refused and `full` is reported; 100 000. */
  capacity?: number;
  /** Events held in memory while the disk refuses writes; 10 000. Critical ones are always kept. */
  overflowCapacity?: number;
  /** How often a failed write is tried again when nothing else triggers it; 5 000 ms. */
  retryMs?: number;
  /** Types that may be dropped at capacity (counted as droppedSamples). */
  droppableTypes?: ReadonlySet<EventType>;
  /** Hard cap on the file's size in pages (SQLite max_page_count). */
  maxPageCount?: number;
  logger?: Logger;
}

/** Status as the retained gateway status carries it, plus what the schema has no room for. */
export interface OutboxHealth {
  status: OnlineStatus["outbox"];
  /** The SQLite code of the latest failed write ("SQLITE_FULL"), null once writes succeed again. */
  lastError: string | null;
  /** Events waiting in memory for the disk to accept them. */
  overflow: number;
  /** Non-critical events refused because the memory overflow was full as well. */
  droppedInOverflow: number;
  /** Events kept on disk in the quarantine: the cloud's schema would refuse them. */
  quarantined: number;
}

/**
 * The gateway's durable outbox (docs/gateway-door-outbox.md, "Durable outbox").
 *
 * - `append` gives the next per-gateway seq and commits the event before it returns: when it
 *   returns, the event is on disk (WAL fsynced). It never throws.
 * - Seqs only grow: the last one is kept in a meta row, so neither acked-and-deleted rows nor a
 *   reopen can make one come back.
 * - `nextBatch` returns the oldest durable events in seq order; `ack(upToSeq)` deletes them once
 *   the cloud has committed them.
 * - Bounded: at `capacity`, droppable types (derived presence data) are refused and counted in
 *   `droppedSamples`; access events and door alarms are kept beyond it, and `full` says so.
 * - When the disk refuses a write (SQLITE_FULL, SQLITE_IOERR…) the event waits in a small memory
 *   overflow, retried on the next append, batch or timer, and `full` is reported; overflow events
 *   are not sent before they are durable, so a seq the cloud saw is never given again after a
 *   crash (one lost from memory may be, but the cloud never saw it).
 * - Quarantine: an event that does not match the protocol's schema could never be encoded into a
 *   batch, and would block every event after it. It is checked when appended and again when
 *   batched (rows written by older software, or edited on disk); one that fails goes to the
 *   quarantine table, kept on disk and counted, logged once by seq, type and the broken rule,
 *   and the events behind it flow. Its seq stays used: the cloud sees a gap, not a loss.
 */
export class EventOutbox implements Outbox {
  private readonly store: OutboxStore;
  private readonly log: Logger;
  private readonly capacity: number;
  private readonly overflowCapacity: number;
  private readonly retryMs: number;
  private readonly droppable: ReadonlySet<EventType>;
  private lastSeq: number;
  private stored: number;
  private quarantinedCount: number;
  private pending: OutboxRow[] = [];
  private droppedSamples = 0;
  private droppedInOverflow = 0;
  private lastError: string | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: EventOutboxOptions) {
    this.capacity = whole(options.capacity ?? 100_000, "capacity");
    this.overflowCapacity = whole(options.overflowCapacity ?? 10_000, "overflowCapacity");
    this.retryMs = whole(options.retryMs ?? 5000, "retryMs");
    this.droppable = options.droppableTypes ?? defaultDroppableTypes;
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:outbox" });
    this.store = new OutboxStore(
      options.path,
      options.maxPageCount === undefined ? {} : { maxPageCount: options.maxPageCount },
    );
    this.lastSeq = this.store.lastSeq();
    this.stored = this.store.count();
    this.quarantinedCount = this.store.quarantinedCount();
    this.log.info(
      { depth: this.stored, lastSeq: this.lastSeq, quarantined: this.quarantinedCount },
      "outbox opened",
    );
  }

  append(event: Omit<GatewayEvent, "seq">): GatewayEvent {
    const stored = { ...event, seq: this.lastSeq + 1 } as GatewayEvent;
    this.lastSeq = stored.seq;
    // Serialised here, so an event that cannot be stored never blocks the ones behind it.
    let body: string;
    try {
      body = JSON.stringify(stored);
      if (typeof event.type !== "string") throw new TypeError("event without a type");
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "unstorable event refused");
      return stored;
    }
    if (this.depth() >= this.capacity && this.droppable.has(event.type)) {
      // The seq stays used: a gap in the cloud's sequence is a counted drop, not a loss.
      this.droppedSamples++;
      this.log.warn({ type: event.type, seq: stored.seq }, "outbox at capacity: event dropped");
      return stored;
    }
    if (this.closed) {
      this.log.error({ type: event.type, seq: stored.seq }, "append after close: event lost");
      return stored;
    }
    if (this.pending.length >= this.overflowCapacity && !isCritical(event.type)) {
      this.droppedInOverflow++;
      this.log.error({ type: event.type, seq: stored.seq }, "overflow full: event dropped");
      return stored;
    }
    const problem = eventProblem(stored);
    if (problem !== null) this.noteQuarantined(stored.seq, event.type, problem, "append");
    this.pending.push({
      seq: stored.seq,
      type: event.type,
      body,
      ...(problem === null ? {} : { problem }),
    });
    this.flush();
    return stored;
  }

  /** The oldest events the cloud can accept; rows it could not are moved to the quarantine. */
  nextBatch(max: number): GatewayEvent[] {
    if (this.closed || !(max >= 1)) return [];
    this.flush();
    const wanted = Math.trunc(max);
    const batch: GatewayEvent[] = [];
    try {
      let after = 0;
      for (;;) {
        const rows = this.store.oldest(wanted - batch.length, after);
        const refused: Required<OutboxRow>[] = [];
        for (const row of rows) {
          after = row.seq;
          const { event, problem } = parseStoredEvent(row.body);
          if (event !== null) batch.push(event);
          else refused.push({ ...row, problem });
        }
        if (refused.length === 0) return batch; // full, or nothing more stored
        this.store.quarantine(refused);
        this.stored -= refused.length;
        for (const row of refused) this.noteQuarantined(row.seq, row.type, row.problem, "batch");
      }
    } catch (error) {
      this.log.error({ code: sqliteCode(error), err: (error as Error).message }, "read failed");
      return batch;
    }
  }

  /** The quarantined events, oldest first (an operator's tool, tests). */
  quarantined(): QuarantinedRow[] {
    return this.closed ? [] : this.store.quarantined();
  }

  ack(upToSeq: number): void {
    if (this.closed || !Number.isSafeInteger(upToSeq) || upToSeq < 1) return;
    try {
      this.stored -= this.store.delete(upToSeq);
    } catch (error) {
      // The rows stay and are sent again; the cloud's dedupe on (gateway, seq) absorbs that.
      this.log.error({ code: sqliteCode(error), upToSeq }, "ack could not delete acked rows");
    }
  }

  status(): OnlineStatus["outbox"] {
    const depth = this.depth();
    return {
      depth,
      capacity: this.capacity,
      // Also full while the disk refuses writes: nothing more can be made durable.
      full: depth >= this.capacity || this.pending.length > 0,
      droppedSamples: this.droppedSamples,
      quarantined: this.quarantinedCount,
    };
  }

  health(): OutboxHealth {
    return {
      status: this.status(),
      lastError: this.lastError,
      overflow: this.pending.length,
      droppedInOverflow: this.droppedInOverflow,
      quarantined: this.quarantinedCount,
    };
  }

  /** Tries to make the memory overflow durable; true when nothing is left waiting. */
  retry(): boolean {
    return this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    clearTimeout(this.retryTimer);
    if (this.pending.length > 0) {
      this.log.error(
        { lost: this.pending.length, firstSeq: this.pending[0]?.seq, lastError: this.lastError },
        "closing with events the disk never accepted",
      );
    }
    this.closed = true;
    this.store.close();
  }

  private depth(): number {
    return this.stored + this.pending.length;
  }

  private flush(): boolean {
    if (this.pending.length === 0 || this.closed) return true;
    try {
      this.store.write(this.pending);
    } catch (error) {
      const code = sqliteCode(error);
      // One line per kind of failure, not one per badge.
      if (code !== this.lastError) {
        this.log.error(
          { code, err: (error as Error).message, overflow: this.pending.length },
          "outbox write failed; events kept in memory and retried",
        );
      }
      this.lastError = code;
      this.scheduleRetry();
      return false;
    }
    const quarantined = this.pending.filter((row) => row.problem !== undefined).length;
    this.stored += this.pending.length - quarantined;
    if (this.lastError !== null) {
      this.log.info({ written: this.pending.length, after: this.lastError }, "outbox writes again");
      this.lastError = null;
    }
    this.pending = [];
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    return true;
  }

  /** One line per quarantined event, when it is set aside: never its values (badge data). */
  private noteQuarantined(seq: number, type: string, problem: string, at: "append" | "batch") {
    this.quarantinedCount += 1;
    this.log.error(
      { seq, type, problem, at, quarantined: this.quarantinedCount },
      "event does not match the protocol's schema: quarantined, the next ones flow",
    );
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flush();
    }, this.retryMs);
    this.retryTimer.unref();
  }
}

function whole(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new OutboxError("config-invalid", `${name} must be a whole number ≥ 1, got ${value}`);
  }
  return value;
}
