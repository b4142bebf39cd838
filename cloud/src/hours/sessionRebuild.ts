import {
  type ClosedSession,
  type PresenceEvent,
  PresenceTracker,
  roundUp,
} from "@passerelle/protocol";
import type { SessionsTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { localDateOf, type Month, monthOf } from "./months.js";
import type { PresenceCentre } from "./presenceCentres.js";
import { refreshMemberTotals } from "./sessionTotals.js";

/** Rows per INSERT: 13 columns, well under SQLite's bound-parameter limit. */
const rowsPerInsert = 500;

export interface RebuildOutcome {
  /** Months whose sessions may have changed (before or after the rebuild). */
  readonly months: ReadonlySet<Month>;
  readonly sessions: number;
}

/**
 * Rebuilds one member's sessions from their access events at or after `since` (the earliest
 * new event), with the shared presence rules (protocol/src/presenceRules). Incremental: it
 * replays from the start of the session in force at `since` (the tracker is empty there, since
 * a session only opens when none is open), so earlier sessions stay as they are, and a late or
 * out-of-order event lands in the session it belongs to. A session's id is its opening event's
 * id, so a rebuilt session keeps its id and its corrections.
 */
export async function rebuildMemberSessions(
  trx: Executor,
  memberId: string,
  since: number,
  centres: ReadonlyMap<string, PresenceCentre>,
): Promise<RebuildOutcome> {
  const current = await trx
    .selectFrom("sessions")
    .select(["started_at", "ended_at"])
    .where("member_id", "=", memberId)
    .where("started_at", "<=", since)
    .orderBy("started_at", "desc")
    .limit(1)
    .executeTakeFirst();
  // Nobody is inside at `since` unless that session was still running then.
  const from = current !== undefined && current.ended_at >= since ? current.started_at : since;

  const old = await trx
    .selectFrom("sessions")
    .select(["month"])
    .where("member_id", "=", memberId)
    .where("started_at", ">=", from)
    .execute();
  const months = new Set(old.map((row) => row.month));
  await trx
    .deleteFrom("sessions")
    .where("member_id", "=", memberId)
    .where("started_at", ">=", from)
    .execute();

  const events = await trx
    .selectFrom("access_events")
    .select(["id", "time", "centre_id", "door_id", "direction", "decision"])
    .where("member_id", "=", memberId)
    .where("time", ">=", from)
    .where("type", "=", "access")
    .orderBy("time")
    .orderBy("id")
    .execute();

  const tracker = new PresenceTracker({ centres: [...centres.values()].map((c) => c.presence) });
  const closed: ClosedSession[] = [];
  for (const event of events) {
    // An entry at a centre the cloud does not know cannot open a session (nothing to bill).
    if (!centres.has(event.centre_id)) continue;
    const presenceEvent: PresenceEvent = {
      id: event.id,
      time: new Date(event.time).toISOString(),
      type: "access",
      centre: event.centre_id,
      member: memberId,
      ...(event.door_id === null ? {} : { door: event.door_id }),
      ...(event.direction === null ? {} : { direction: event.direction }),
      ...(event.decision === null ? {} : { decision: event.decision }),
    };
    closed.push(...tracker.record(presenceEvent));
  }
  // A session still open ends at its closing time or inactivity deadline unless an event comes
  // first, and that event would rebuild it: the projected end is stored, reports clamp to now.
  closed.push(...tracker.advanceTo(Number.MAX_SAFE_INTEGER));

  const rows = closed
    .filter((session) => session.openEvent !== undefined)
    .map((session) => rowOf(session, centres.get(session.centre) as PresenceCentre));
  await applyCorrections(trx, rows);
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    await trx
      .insertInto("sessions")
      .values(rows.slice(start, start + rowsPerInsert))
      .execute();
  }
  for (const row of rows) months.add(row.month);
  await refreshMemberTotals(trx, memberId, months);
  return { months, sessions: rows.length };
}

function rowOf(session: ClosedSession, centre: PresenceCentre): SessionsTable {
  const minutes = roundUp(session.durationMs, centre.roundingStepMinutes) / 60_000;
  return {
    id: session.openEvent as string,
    member_id: session.member,
    centre_id: session.centre,
    started_at: session.openedAt,
    ended_at: session.closedAt,
    close_reason: session.reason,
    open_event_id: session.openEvent as string,
    close_event_id: session.closeEvent ?? null,
    local_date: localDateOf(session.openedAt, centre.timeZone),
    month: monthOf(session.openedAt, centre.timeZone),
    computed_minutes: minutes,
    billable_minutes: minutes,
    adjustment_id: null,
  };
}

/** The latest correction of each session still counts after a rebuild (append-only log). */
async function applyCorrections(trx: Executor, rows: SessionsTable[]): Promise<void> {
  if (rows.length === 0) return;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ids = [...byId.keys()];
  for (let start = 0; start < ids.length; start += rowsPerInsert) {
    const corrections = await trx
      .selectFrom("session_adjustments")
      .select(["id", "session_id", "minutes"])
      .where("kind", "=", "correction")
      .where("session_id", "in", ids.slice(start, start + rowsPerInsert))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    for (const correction of corrections) {
      const row = byId.get(correction.session_id as string);
      if (row === undefined) continue;
      row.billable_minutes = correction.minutes;
      row.adjustment_id = correction.id;
    }
  }
}
