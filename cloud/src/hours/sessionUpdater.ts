import type { PresenceNote } from "@passerelle/protocol";
import type { Logger } from "pino";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { GatewayEventBatch } from "../ports/eventSink.js";
import { sessionRebuildFloor } from "../store/archiveHorizon.js";
import type { Executor } from "../store/openStore.js";
import { carryLateEvents } from "./lateCarry.js";
import type { Month } from "./months.js";
import { loadPresenceCentres, PresenceCentreReader } from "./presenceCentres.js";
import { presenceEventTypes, rebuildCentreSessions } from "./sessionRebuild.js";
import { refreshTouchedTotals } from "./sessionTotals.js";

/**
 * The watermark stays this far behind the clock. With several instances, one that dies between
 * committing a batch and rebuilding its sessions leaves events the others' rebuilds never name;
 * the catch-up of the next instance to start (the dead one restarted by systemd) covers them as
 * long as the watermark has not passed them (docs/scale.md). The price: each start rebuilds
 * what the last two minutes received, which a rebuild does identically anyway.
 */
const watermarkLagMs = 2 * 60_000;

/** Members per IN list: well under SQLite's parameter limit. */
const membersPerQuery = 500;

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

  /**
   * Touches only what the batch names: its centres (and the members' neighbours), their
   * sessions, and those members' totals for those months and centres, refreshed once for the
   * batch. Several cloud instances rebuild one at a time (an advisory lock held to the commit,
   * docs/scale.md), so two never rewrite the same sessions at once.
   */
  private async rebuild(earliest: Pending, eventIds: string[] | null) {
    const now = this.deps.clock.now();
    await this.deps.store.write(async (trx) => {
      await this.deps.store.locks.lockInTransaction(trx, "presence-sessions");
      const reader = new PresenceCentreReader(trx);
      const targets = await centresToRebuild(trx, earliest);
      // Archived months are not rebuilt (store/archiveHorizon.ts).
      const floor = await sessionRebuildFloor(trx);
      for (const [centreId, since] of targets) targets.set(centreId, Math.max(since, floor));
      const touched = new Map<string, Map<Month, Set<string>>>();
      for (const [centreId, since] of [...targets].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const outcome = await rebuildCentreSessions(trx, centreId, since, reader);
        this.logRules(outcome.notes, eventIds);
        for (const [member, months] of outcome.months) {
          const byMonth = touched.get(member) ?? new Map<Month, Set<string>>();
          for (const month of months) {
            const centres = byMonth.get(month) ?? new Set<string>();
            centres.add(centreId);
            byMonth.set(month, centres);
          }
          touched.set(member, byMonth);
        }
      }
      await refreshTouchedTotals(trx, touched);
      const closed = await closedMonthsAmong(trx, touched);
      // Late events only matter for a closed month; most batches touch none, and then the
      // whole network's centres (which carrying reads) are not even loaded.
      const centres = closed.size > 0 ? await loadPresenceCentres(trx) : new Map();
      for (const [memberId, byMonth] of [...touched].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const months = new Set([...byMonth.keys()].filter((month) => closed.has(month)));
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
      await advanceWatermark(trx, eventIds, now - watermarkLagMs);
    });
  }
}

const ruleMessages: Record<PresenceNote["kind"], string> = {
  "exit-at-zero": "exit while the centre's headcount is 0: ignored, the headcount stays 0",
  "exit-not-inside": "exit badge of a member not inside: no session ends, headcount unchanged",
  "headcount-written-off": "headcount written off: nobody attributed inside past the deadline",
};

async function closedMonthsAmong(
  trx: Executor,
  touched: ReadonlyMap<string, ReadonlyMap<Month, unknown>>,
): Promise<Set<Month>> {
  const months = new Set<Month>();
  for (const byMonth of touched.values()) for (const month of byMonth.keys()) months.add(month);
  if (months.size === 0) return new Set();
  const rows = await trx
    .selectFrom("month_closes")
    .select("month")
    .where("month", "in", [...months])
    .execute();
  return new Set(rows.map((row) => row.month as Month));
}

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
  const members = [...pending.members.keys()].sort();
  if (members.length === 0) return targets;
  const times = [...pending.members.values()];
  const [first, last] = [Math.min(...times), Math.max(...times)];
  // One query per 500 members, not one per member: sessions around the batch's time span,
  // each kept when it holds its member's own time.
  for (let start = 0; start < members.length; start += membersPerQuery) {
    const open = await trx
      .selectFrom("sessions")
      .select(["member_id", "centre_id", "started_at", "ended_at"])
      .where("member_id", "in", members.slice(start, start + membersPerQuery))
      .where("started_at", "<=", last)
      .where("ended_at", ">=", first)
      .execute();
    for (const row of open) {
      const at = pending.members.get(row.member_id) as number;
      if (Number(row.started_at) <= at && Number(row.ended_at) >= at) {
        earliestInto(targets, row.centre_id, at);
      }
    }
  }
  return targets;
}

async function advanceWatermark(
  trx: Executor,
  eventIds: string[] | null,
  atMost: number,
): Promise<void> {
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
  const value = String(
    Math.max(Math.min(upTo, atMost), current === undefined ? -1 : Number(current.value)),
  );
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
