import { randomUUID } from "node:crypto";
import type { PresenceNote } from "@passerelle/protocol";
import type { Logger } from "pino";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { GatewayEventBatch } from "../ports/eventSink.js";
import { sessionRebuildFloor } from "../store/archiveHorizon.js";
import type { Executor } from "../store/openStore.js";
import { carryLateEvents } from "./lateCarry.js";
import type { Month } from "./months.js";
import { loadPresenceCentres, PresenceCentreReader } from "./presenceCentres.js";
import {
  beat,
  claimDeadMark,
  deadMarks,
  deleteMark,
  pendingMarginMs,
  writeMark,
} from "./rebuildMarks.js";
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

/**
 * A batch naming more members and centres than this takes the cluster-wide lock alone instead
 * of one lock each: PostgreSQL's lock table is shared and sized for about 64 per connection.
 */
const maxEntityLocks = 200;

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
  /** This process's row in session_rebuild_marks (hours/rebuildMarks.ts). */
  readonly instanceId = randomUUID();
  private queue: Promise<void> = Promise.resolve();
  private rebuilding = false;
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
    const lookedAt = this.deps.clock.now();
    const earliest = this.pending;
    const ids = this.pendingIds;
    this.pending = emptyPending();
    this.pendingIds = [];
    if (earliest.centres.size === 0) return;
    this.rebuilding = true;
    try {
      await this.rebuildBatch(earliest, ids, lookedAt);
    } finally {
      this.rebuilding = false;
    }
  }

  /**
   * At start, before the first batch can be committed: this instance's mark (nothing of its own
   * pending yet), then the catch-up.
   */
  async start(): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.write((trx) =>
      writeMark(trx, this.instanceId, now - pendingMarginMs, now),
    );
    await this.catchUp();
  }

  /** After the last rebuild: a clean stop leaves nothing for another instance to repair. */
  async stop(): Promise<void> {
    await this.idle();
    if (this.behind || this.pending.centres.size > 0) return;
    await this.deps.store.write((trx) => deleteMark(trx, this.instanceId));
  }

  /** Rebuilds what events received after the watermark touch (at start, and on demand). */
  catchUp(): Promise<void> {
    return this.enqueue(async () => {
      this.behind = false;
      // The catch-up covers whatever was waiting.
      this.pending = emptyPending();
      this.pendingIds = [];
      const now = this.deps.clock.now();
      await this.deps.store.write(async (trx) => {
        await this.deps.store.locks.lockInTransaction(trx, "presence-sessions");
        const mark = await trx
          .selectFrom("settings")
          .select("value")
          .where("key", "=", sessionsWatermarkKey)
          .executeTakeFirst();
        const since = mark === undefined ? -1 : Number(mark.value);
        await this.rebuildIn(trx, await receivedSince(trx, since), null, now);
        await writeMark(trx, this.instanceId, now - pendingMarginMs, now);
      });
    });
  }

  /**
   * The heartbeat (every 30 s, features/presenceSessionsFeature.ts). With nothing pending, the
   * promise moves up to now, so the repair after this instance dies starts from a recent instant
   * instead of its last busy moment.
   */
  async heartbeat(): Promise<void> {
    const now = this.deps.clock.now();
    const idle =
      !this.behind && !this.rebuilding && !this.drainQueued && this.pending.centres.size === 0;
    await this.deps.store.write((trx) =>
      idle
        ? writeMark(trx, this.instanceId, now - pendingMarginMs, now)
        : beat(trx, this.instanceId, now),
    );
  }

  /**
   * Rebuilds what each instance whose heartbeat stopped may have committed and left out of the
   * sessions (docs/scale.md "Sessions after an instance dies"); one claimer per dead instance.
   * Returns how many it repaired.
   */
  repairDeadInstances(): Promise<number> {
    let repaired = 0;
    return this.enqueue(async () => {
      const now = this.deps.clock.now();
      for (const dead of await deadMarks(this.deps.store.db, this.instanceId, now)) {
        await this.deps.store.write(async (trx) => {
          await this.deps.store.locks.lockInTransaction(trx, "presence-sessions");
          const since = await claimDeadMark(trx, dead.instanceId, now);
          if (since === undefined) return;
          await this.rebuildIn(trx, await receivedSince(trx, since), null, now);
          repaired += 1;
          this.log.warn(
            { instance: dead.instanceId, since: new Date(since).toISOString() },
            "an instance stopped beating: sessions rebuilt from what it may have left behind",
          );
        });
      }
    }).then(() => repaired);
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
   * One batch (or the batches merged while the last rebuild ran). Several cloud instances
   * rebuild different centres at once (docs/scale.md "Presence-session rebuilds"): each holds
   * the cluster-wide lock shared, then its members' locks (so it sees the sessions another
   * rebuild of the same member wrote), then its centres' locks, all to the commit. A catch-up
   * or a repair holds the cluster-wide lock alone, and so does a batch too wide to lock piece
   * by piece.
   */
  private async rebuildBatch(earliest: Pending, eventIds: string[], lookedAt: number) {
    const now = this.deps.clock.now();
    const locks = this.deps.store.locks;
    await this.deps.store.write(async (trx) => {
      const wide = earliest.members.size + earliest.centres.size > maxEntityLocks;
      await locks.lockInTransaction(trx, "presence-sessions", wide ? "exclusive" : "shared");
      if (!wide) {
        await locks.lockEachInTransaction(
          trx,
          [...earliest.members.keys()].map((member) => `presence-member:${member}`),
        );
      }
      const targets = await centresToRebuild(trx, earliest);
      if (!wide) {
        await locks.lockEachInTransaction(
          trx,
          [...targets.keys()].map((centre) => `presence-centre:${centre}`),
        );
      }
      await this.rebuildIn(trx, earliest, eventIds, now, targets);
      // What this instance committed after `lookedAt` waits in `pending` for the next rebuild.
      await writeMark(trx, this.instanceId, lookedAt - pendingMarginMs, now);
    });
  }

  /**
   * Touches only what `earliest` names: its centres (and the members' neighbours), their
   * sessions, and those members' totals for those months and centres, refreshed once. The
   * caller holds the locks.
   */
  private async rebuildIn(
    trx: Executor,
    earliest: Pending,
    eventIds: string[] | null,
    now: number,
    known?: Map<string, number>,
  ) {
    const reader = new PresenceCentreReader(trx);
    const targets = known ?? (await centresToRebuild(trx, earliest));
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
    // Carrying writes to a member's next open month at any centre: one carrier at a time
    // (taken after the centres' locks, like every holder, so no two wait on each other).
    if (closed.size > 0) await this.deps.store.locks.lockInTransaction(trx, "presence-carry");
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
  }
}

/** Centres and members with presence events received after `since`, from their earliest. */
async function receivedSince(trx: Executor, since: number): Promise<Pending> {
  const earliest = emptyPending();
  const byCentre = await trx
    .selectFrom("access_events")
    .select((eb) => ["centre_id", eb.fn.min<number>("time").as("earliest")])
    .where("received_at", ">", since)
    .where("type", "in", [...presenceEventTypes])
    .groupBy("centre_id")
    .execute();
  for (const row of byCentre) earliest.centres.set(row.centre_id, Number(row.earliest));
  const byMember = await trx
    .selectFrom("access_events")
    .select((eb) => ["member_id", eb.fn.min<number>("time").as("earliest")])
    .where("received_at", ">", since)
    .where("type", "=", "access")
    .where("member_id", "is not", null)
    .groupBy("member_id")
    .execute();
  for (const row of byMember) earliest.members.set(row.member_id as string, Number(row.earliest));
  return earliest;
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
