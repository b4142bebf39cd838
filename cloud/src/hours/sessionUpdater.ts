import type { Logger } from "pino";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { GatewayEventBatch } from "../ports/eventSink.js";
import type { Executor } from "../store/openStore.js";
import { carryLateEvents } from "./lateCarry.js";
import { loadPresenceCentres } from "./presenceCentres.js";
import { rebuildMemberSessions } from "./sessionRebuild.js";

/** settings key: every access event received up to this instant is reflected in sessions. */
export const sessionsWatermarkKey = "hours.sessions_received_up_to";

/**
 * Keeps `sessions` in step with `access_events` (flow 4): after each committed ingest batch, the
 * sessions of the members it names are rebuilt from their earliest new event, one write
 * transaction per batch, batches in commit order. A crash between the events' commit and the
 * rebuild loses nothing: `catchUp()` at start rebuilds every member with events received after
 * the watermark, which each rebuild advances in its own transaction.
 */
export class SessionUpdater {
  private queue: Promise<void> = Promise.resolve();
  /** A rebuild failed: the next batch runs a catch-up from the watermark instead. */
  private behind = false;
  /** Members (earliest new event) and event ids committed but not rebuilt yet. */
  private pending = new Map<string, number>();
  private pendingIds: string[] = [];
  private drainQueued = false;
  private readonly log: Logger;

  constructor(private readonly deps: ServiceDeps) {
    this.log = deps.logger.child({ module: "cloud:hours" });
  }

  /** The events.committed listener (features/presenceSessionsFeature.ts); never throws (a failure is logged, catchUp repairs). */
  onCommitted(batch: GatewayEventBatch): void {
    let touched = false;
    for (const event of batch.events) {
      if (event.type !== "access" || event.member === undefined) continue;
      const at = Date.parse(event.time);
      const known = this.pending.get(event.member);
      if (known === undefined || at < known) this.pending.set(event.member, at);
      touched = true;
    }
    if (!touched) return;
    for (const event of batch.events) this.pendingIds.push(event.id);
    // After a failed rebuild the watermark stays behind it: catch up from there instead, so
    // a later batch cannot move the watermark past the events that were not rebuilt.
    if (this.behind) {
      void this.catchUp();
      return;
    }
    // Batches that arrive while a rebuild runs are merged into the next one: under a burst
    // the queue holds at most one rebuild, however many batches come in.
    if (!this.drainQueued) {
      this.drainQueued = true;
      this.enqueue(() => this.drain());
    }
  }

  private async drain(): Promise<void> {
    this.drainQueued = false;
    const earliest = this.pending;
    const ids = this.pendingIds;
    this.pending = new Map();
    this.pendingIds = [];
    if (earliest.size > 0) await this.rebuild(earliest, ids);
  }

  /** Rebuilds what events received after the watermark touch (at start, and on demand). */
  catchUp(): Promise<void> {
    return this.enqueue(async () => {
      this.behind = false;
      // The catch-up covers whatever was waiting.
      this.pending = new Map();
      this.pendingIds = [];
      const db = this.deps.store.db;
      const mark = await db
        .selectFrom("settings")
        .select("value")
        .where("key", "=", sessionsWatermarkKey)
        .executeTakeFirst();
      const since = mark === undefined ? -1 : Number(mark.value);
      const rows = await db
        .selectFrom("access_events")
        .select((eb) => ["member_id", eb.fn.min<number>("time").as("earliest")])
        .where("received_at", ">", since)
        .where("type", "=", "access")
        .where("member_id", "is not", null)
        .groupBy("member_id")
        .execute();
      const earliest = new Map(rows.map((row) => [row.member_id as string, Number(row.earliest)]));
      await this.rebuild(earliest, null);
    });
  }

  /** Resolves once every rebuild queued so far is done (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(work).catch((error: unknown) => {
      this.behind = true;
      this.log.error({ err: error }, "presence sessions rebuild failed; catch-up will retry");
    });
    this.queue = run;
    return run;
  }

  private async rebuild(earliest: ReadonlyMap<string, number>, eventIds: string[] | null) {
    const now = this.deps.clock.now();
    await this.deps.store.write(async (trx) => {
      const centres = await loadPresenceCentres(trx);
      for (const [memberId, since] of [...earliest].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const outcome = await rebuildMemberSessions(trx, memberId, since, centres);
        const audits = await carryLateEvents(trx, memberId, outcome.months, centres, now);
        for (const entry of audits) await this.deps.hooks.audit(entry, trx);
      }
      await advanceWatermark(trx, eventIds);
    });
  }
}

async function advanceWatermark(trx: Executor, eventIds: string[] | null): Promise<void> {
  let upTo: number | null = null;
  const chunks = eventIds === null ? [null] : chunksOf(eventIds, 1000);
  for (const ids of chunks) {
    let query = trx
      .selectFrom("access_events")
      .select((eb) => eb.fn.max<number>("received_at").as("upTo"));
    if (ids !== null) query = query.where("id", "in", ids);
    const row = await query.executeTakeFirst();
    if (row?.upTo !== null && row?.upTo !== undefined) {
      upTo = Math.max(upTo ?? Number.NEGATIVE_INFINITY, Number(row.upTo));
    }
  }
  if (upTo === null) return;
  const current = await trx
    .selectFrom("settings")
    .select("value")
    .where("key", "=", sessionsWatermarkKey)
    .executeTakeFirst();
  const value = String(Math.max(upTo, current === undefined ? -1 : Number(current.value)));
  await trx
    .insertInto("settings")
    .values({ key: sessionsWatermarkKey, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    chunks.push(items.slice(start, start + size));
  return chunks;
}
