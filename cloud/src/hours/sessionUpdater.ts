import type { PresenceNote } from "@passerelle/protocol";
import type { Logger } from "pino";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { GatewayEventBatch } from "../ports/eventSink.js";
import { sessionRebuildFloor } from "../store/archiveHorizon.js";
import type { Executor } from "../store/openStore.js";
import { carryLateEvents } from "./lateCarry.js";
import type { Month } from "./months.js";
import { loadPresenceCentres } from "./presenceCentres.js";
import { presenceEventTypes, rebuildCentreSessions } from "./sessionRebuild.js";

/** settings key: every access event received up to this instant is reflected in sessions. */
export const sessionsWatermarkKey = "hours.sessions_received_up_to";

/**
 * Keeps `sessions` in step with `access_events` (flow 4): after each committed ingest batch, the
 * sessions of the centres it names are rebuilt from their earliest new event (and those of the
 * centres where its members were inside then: an entry elsewhere closes a session), one write
 * transaction per batch, batches in commit order. A crash between the events' commit and the
 * rebuild loses nothing: `catchUp()` at start rebuilds every member with events received after
 * the watermark, which each rebuild advances in its own transaction.
 */
export class SessionUpdater {
  private queue: Promise<void> = Promise.resolve();
  /** A rebuild failed: the next batch runs a catch-up from the watermark instead. */
  private behind = false;
  /** Centres and members (earliest new event) and event ids committed but not rebuilt yet. */
  private pending: Pending = emptyPending();
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
      if (!(presenceEventTypes as readonly string[]).includes(event.type)) continue;
      const at = Date.parse(event.time);
      earliestInto(this.pending.centres, event.centre, at);
      if (event.member !== undefined) earliestInto(this.pending.members, event.member, at);
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
    this.pending = emptyPending();
    this.pendingIds = [];
    if (earliest.centres.size > 0) await this.rebuild(earliest, ids);
  }

  /** Rebuilds what events received after the watermark touch (at start, and on demand). */
  catchUp(): Promise<void> {
    return this.enqueue(async () => {
      this.behind = false;
      // The catch-up covers whatever was waiting.
      this.pending = emptyPending();
      this.pendingIds = [];
      const db = this.deps.store.db;
      const mark = await db
        .selectFrom("settings")
        .select("value")
        .where("key", "=", sessionsWatermarkKey)
        .executeTakeFirst();
      const since = mark === undefined ? -1 : Number(mark.value);
      const earliest = emptyPending();
      const byCentre = await db
        .selectFrom("access_events")
        .select((eb) => ["centre_id", eb.fn.min<number>("time").as("earliest")])
        .where("received_at", ">", since)
        .where("type", "in", [...presenceEventTypes])
        .groupBy("centre_id")
        .execute();
      for (const row of byCentre) earliest.centres.set(row.centre_id, Number(row.earliest));
      const byMember = await db
        .selectFrom("access_events")
        .select((eb) => ["member_id", eb.fn.min<number>("time").as("earliest")])
        .where("received_at", ">", since)
        .where("type", "=", "access")
        .where("member_id", "is not", null)
        .groupBy("member_id")
        .execute();
      for (const row of byMember)
        earliest.members.set(row.member_id as string, Number(row.earliest));
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

  /**
   * One warning per input of this batch that a presence rule handled (the gateway logged it as
   * it happened; this is the cloud's view, where late events land). Replays meet the notes of
   * older events again: only those of the batch's own events are logged, never twice. A
   * catch-up (no batch) logs none; time-based write-offs carry no event and are not logged.
   */
  private logRules(notes: readonly PresenceNote[], eventIds: readonly string[] | null): void {
    if (eventIds === null || notes.length === 0) return;
    const received = new Set(eventIds);
    for (const note of notes) {
      if (note.event === undefined || !received.has(note.event)) continue;
      this.log.warn(
        {
          rule: note.kind,
          centre: note.centre,
          event: note.event,
          at: new Date(note.at).toISOString(),
          ...(note.member === undefined ? {} : { member: note.member }),
        },
        ruleMessages[note.kind],
      );
    }
  }

  private async rebuild(earliest: Pending, eventIds: string[] | null) {
    const now = this.deps.clock.now();
    await this.deps.store.write(async (trx) => {
      const centres = await loadPresenceCentres(trx);
      const targets = await centresToRebuild(trx, earliest);
      // Archived months are not rebuilt (store/archiveHorizon.ts).
      const floor = await sessionRebuildFloor(trx);
      for (const [centreId, since] of targets) targets.set(centreId, Math.max(since, floor));
      const touched = new Map<string, Set<Month>>();
      for (const [centreId, since] of [...targets].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const outcome = await rebuildCentreSessions(trx, centreId, since, centres);
        this.logRules(outcome.notes, eventIds);
        for (const [member, months] of outcome.months) {
          const set = touched.get(member) ?? new Set<Month>();
          for (const month of months) set.add(month);
          touched.set(member, set);
        }
      }
      for (const [memberId, months] of [...touched].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const audits = await carryLateEvents(trx, memberId, months, centres, now);
        for (const entry of audits) {
          // An event changed a closed month (a late event, or one closing a session opened
          // there): the month stays frozen, the difference goes to the next open month.
          this.log.warn(
            { member: memberId, centre: entry.centre, detail: entry.detail },
            "events changed a closed month's sessions; difference carried, flagged",
          );
          await this.deps.hooks.audit(entry, trx);
        }
      }
      await advanceWatermark(trx, eventIds);
    });
  }
}

const ruleMessages: Record<PresenceNote["kind"], string> = {
  "exit-at-zero": "exit while the centre's headcount is 0: ignored, the headcount stays 0",
  "exit-not-inside": "exit badge of a member not inside: no session ends, headcount unchanged",
  "headcount-written-off": "headcount written off: nobody attributed inside past the deadline",
};

interface Pending {
  /** Centre → earliest new presence event there. */
  readonly centres: Map<string, number>;
  /** Member → earliest new access event of theirs (anywhere). */
  readonly members: Map<string, number>;
}

const emptyPending = (): Pending => ({ centres: new Map(), members: new Map() });

function earliestInto(map: Map<string, number>, key: string, at: number) {
  const known = map.get(key);
  if (known === undefined || at < known) map.set(key, at);
}

/**
 * Each centre with new events, from the earliest; plus, for each member with a new event at t,
 * the centres where that member was inside at t (an entry elsewhere closes that session).
 */
async function centresToRebuild(trx: Executor, pending: Pending): Promise<Map<string, number>> {
  const targets = new Map(pending.centres);
  for (const [memberId, at] of pending.members) {
    const open = await trx
      .selectFrom("sessions")
      .select("centre_id")
      .where("member_id", "=", memberId)
      .where("started_at", "<=", at)
      .where("ended_at", ">=", at)
      .execute();
    for (const row of open) earliestInto(targets, row.centre_id, at);
  }
  return targets;
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
