import {
  type ClosedSession,
  type PresenceEvent,
  type PresenceNote,
  PresenceTracker,
} from "@passerelle/protocol";
import type { AccessEventsTable, RuleCloseReason, SessionsTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { localDateOf, type Month, monthOf } from "./months.js";
import type { PresenceCentre, PresenceCentreReader } from "./presenceCentres.js";
import { sessionMinutes } from "./rounding.js";
import { applySessionAdjustments } from "./sessionAdjustments.js";

/** Rows per INSERT (17 columns) and ids per IN list: well under SQLite's parameter limit. */
const rowsPerInsert = 400;
const idsPerQuery = 500;

/** Event types the presence rules read at a centre: badges, and the gateway's anonymous exits. */
export const presenceEventTypes = ["access", "door.exit"] as const;

export interface RebuildOutcome {
  /**
   * Per member, the months whose sessions at this centre may have changed (before or after the
   * rebuild): the caller refreshes their totals once for the whole batch (sessionTotals.ts).
   */
  readonly months: ReadonlyMap<string, ReadonlySet<Month>>;
  readonly sessions: number;
  /** Where the replay started (a time nobody was inside the centre by the stored sessions). */
  readonly from: number;
  /**
   * Inputs the rules handled by a rule at this centre (presenceNotes.ts: an exit at headcount 0,
   * an exit badge of someone not inside, a headcount written off), in replay order. A replay
   * meets the same ones again: the caller logs those of the events it has just received.
   */
  readonly notes: readonly PresenceNote[];
}

type EventRow = Pick<
  AccessEventsTable,
  "id" | "time" | "centre_id" | "member_id" | "type" | "door_id" | "direction" | "decision"
>;

/**
 * A time at or before `since` when the presence rules held nothing at the centre: no session
 * still undecided and no headcount. A session stays undecided until its deadline, at most its
 * latest granted entry plus the inactivity limit, even when its policy gives it an earlier end
 * (stored as `held_until`); a headcount lives no longer than the deadline of the centre's latest
 * entry (then it is written off), and every counted entry belongs to a session. So: a time no
 * stored session of the centre holds, read by the (centre_id, held_until) index.
 */
async function quietPointBefore(trx: Executor, centreId: string, since: number): Promise<number> {
  let from = since;
  for (;;) {
    const row = await trx
      .selectFrom("sessions")
      .select((eb) => eb.fn.min<number>("started_at").as("start"))
      .where("centre_id", "=", centreId)
      .where("held_until", ">=", from)
      .where("started_at", "<", from)
      .executeTakeFirst();
    if (row?.start === null || row?.start === undefined) return from;
    from = Number(row.start);
  }
}

/**
 * Rebuilds one centre's sessions from `since` (its earliest new event) with the shared presence
 * rules (protocol/src/presenceRules). The last-out rule closes every session of a centre when its
 * headcount reaches 0, so the replay takes every event of the centre in time order (all
 * members, anonymous exits included), plus its members' granted entries at other centres (which
 * close a session there, "other-centre"). It starts at a quiet point (nobody inside by the stored
 * sessions) at or before `since`: sessions before it stay as they are, and a late or out-of-order
 * event lands where it belongs. A session's id is its opening event's id; corrections and
 * confirmations follow the session that now holds the event they named (sessionAdjustments.ts).
 * Reads only the centres its events name (not the whole network: at 1 000 centres that read
 * was a third of the ingest's busy time, docs/performance.md).
 */
export async function rebuildCentreSessions(
  trx: Executor,
  centreId: string,
  since: number,
  centres: PresenceCentreReader,
): Promise<RebuildOutcome> {
  const centre = (await centres.read([centreId])).get(centreId);
  const from = await quietPointBefore(trx, centreId, since);
  const months = new Map<string, Set<Month>>();
  const touch = (member: string, month: Month) => {
    const set = months.get(member) ?? new Set<Month>();
    set.add(month);
    months.set(member, set);
  };
  const old = await trx
    .selectFrom("sessions")
    .select(["member_id", "month"])
    .where("centre_id", "=", centreId)
    .where("started_at", ">=", from)
    .execute();
  for (const row of old) touch(row.member_id, row.month);
  await trx
    .deleteFrom("sessions")
    .where("centre_id", "=", centreId)
    .where("started_at", ">=", from)
    .execute();
  if (centre === undefined) return { months, sessions: 0, from, notes: [] };

  const { events, known } = await eventsToReplay(trx, centreId, from, centres);
  const notes: PresenceNote[] = [];
  const tracker = new PresenceTracker({
    centres: centrePresences(events, known),
    onNote: (note) => {
      if (note.centre === centreId) notes.push(note);
    },
  });
  const closed: ClosedSession[] = [];
  // Which session (its opening event) each member is in, to map a refreshing entry to it.
  const openBy = new Map<string, string>();
  const heldBy = new Map<string, string>();
  // Each session's latest granted entry at this centre (the quiet point reads it back).
  const lastSeen = new Map<string, number>();
  const track = (sessions: ClosedSession[]) => {
    for (const session of sessions) {
      if (openBy.get(session.member) === session.openEvent) openBy.delete(session.member);
      closed.push(session);
    }
  };
  for (const event of events) {
    track(tracker.record(presenceEventOf(event)));
    if (event.type !== "access" || event.member_id === null) continue;
    if (event.decision !== "granted" || event.direction === "out") continue;
    const current = openBy.get(event.member_id);
    if (current === undefined) openBy.set(event.member_id, event.id);
    else heldBy.set(event.id, current);
    if (event.centre_id === centreId) lastSeen.set(current ?? event.id, Number(event.time));
  }
  // A session still open ends at its policy's time unless an event comes first, and that event
  // would rebuild it: the projected end is stored, reports clamp to now.
  track(tracker.advanceTo(Number.MAX_SAFE_INTEGER));

  const rows = closed
    .filter((session) => session.centre === centreId && session.openEvent !== undefined)
    .map((session) => rowOf(session, centre, lastSeen));
  await applySessionAdjustments(trx, rows, heldBy);
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    await trx
      .insertInto("sessions")
      .values(rows.slice(start, start + rowsPerInsert))
      .execute();
  }
  for (const row of rows) touch(row.member_id, row.month);
  return { months, sessions: rows.length, from, notes };
}

/** The presence rules of the centres the replayed events name: all the tracker looks up. */
function centrePresences(
  events: readonly EventRow[],
  known: ReadonlyMap<string, PresenceCentre>,
): PresenceCentre["presence"][] {
  const ids = new Set(events.map((event) => event.centre_id));
  return [...ids].flatMap((id) => {
    const centre = known.get(id);
    return centre === undefined ? [] : [centre.presence];
  });
}

/**
 * The centre's presence events from `from`, and its members' granted entries elsewhere, in time
 * order. Entries at a centre the cloud does not know are left out: nothing to bill there.
 */
async function eventsToReplay(
  trx: Executor,
  centreId: string,
  from: number,
  centres: PresenceCentreReader,
): Promise<{ events: EventRow[]; known: ReadonlyMap<string, PresenceCentre> }> {
  const columns = [
    "id",
    "time",
    "centre_id",
    "member_id",
    "type",
    "door_id",
    "direction",
    "decision",
  ] as const;
  const own = await trx
    .selectFrom("access_events")
    .select(columns)
    .where("centre_id", "=", centreId)
    .where("time", ">=", from)
    .where("type", "in", [...presenceEventTypes])
    .execute();
  const members = [
    ...new Set(own.map((e) => e.member_id).filter((m): m is string => m !== null)),
  ].sort();
  const elsewhere: EventRow[] = [];
  for (let start = 0; start < members.length; start += idsPerQuery) {
    const rows = await trx
      .selectFrom("access_events")
      .select(columns)
      .where("member_id", "in", members.slice(start, start + idsPerQuery))
      .where("time", ">=", from)
      .where("type", "=", "access")
      .where("decision", "=", "granted")
      .where("centre_id", "!=", centreId)
      .where((eb) => eb.or([eb("direction", "is", null), eb("direction", "!=", "out")]))
      .execute();
    elsewhere.push(...rows);
  }
  const known = await centres.read([centreId, ...elsewhere.map((row) => row.centre_id)]);
  const events = [...own, ...elsewhere.filter((row) => known.has(row.centre_id))].sort(
    (a, b) => Number(a.time) - Number(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { events, known };
}

function presenceEventOf(event: EventRow): PresenceEvent {
  return {
    id: event.id,
    time: new Date(Number(event.time)).toISOString(),
    type: event.type as PresenceEvent["type"],
    centre: event.centre_id,
    ...(event.member_id === null ? {} : { member: event.member_id }),
    ...(event.door_id === null ? {} : { door: event.door_id }),
    ...(event.direction === null ? {} : { direction: event.direction }),
    ...(event.decision === null ? {} : { decision: event.decision }),
  };
}

function rowOf(
  session: ClosedSession,
  centre: PresenceCentre,
  lastSeen: ReadonlyMap<string, number>,
): SessionsTable {
  const reason: RuleCloseReason = session.reason;
  const minutes = sessionMinutes(session.durationMs, centre.rounding);
  const seen = lastSeen.get(session.openEvent as string) ?? session.openedAt;
  return {
    id: session.openEvent as string,
    member_id: session.member,
    centre_id: session.centre,
    started_at: session.openedAt,
    ended_at: session.closedAt,
    last_seen_at: seen,
    held_until: Math.max(session.closedAt, seen + centre.inactivityLimitMinutes * 60_000),
    close_reason: reason,
    rule_close_reason: reason,
    confirmed: session.confirmed ? 1 : 0,
    open_event_id: session.openEvent as string,
    close_event_id: session.closeEvent ?? null,
    local_date: localDateOf(session.openedAt, centre.timeZone),
    month: monthOf(session.openedAt, centre.timeZone),
    duration_ms: session.durationMs,
    computed_minutes: minutes,
    billable_minutes: minutes,
    effective_ms: session.durationMs,
    adjustment_id: null,
  };
}
