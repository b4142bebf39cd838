import {
  defaultInactivityLimitMs,
  PresenceError,
  type PresenceEvent,
  PresenceTracker,
} from "@passerelle/protocol";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { loadPresenceCentres } from "../hours/presenceCentres.js";

/** A member the access log says is inside a centre now. */
export interface MemberInside {
  readonly memberId: string;
  readonly name: string | null;
  /** The granted entry that opened the presence session (epoch ms). */
  readonly since: number;
  /** The latest granted entry at this centre (epoch ms). */
  readonly lastSeenAt: number;
}

/**
 * Who is inside a centre now, by the presence rules the gateway and the hours use (protocol's
 * PresenceTracker: entry opens; exit badge, last out (the headcount back to 0), an entry
 * elsewhere, or the centre's no-exit policy closes), replayed over the committed access events
 * of the last inactivity window for the members seen at that centre in it, with the centre's
 * anonymous exits (`door.exit`), all in time order. Read on demand rather than kept in memory: it is always
 * what the database holds, several cloud instances agree, and a restart loses nothing. The
 * gateways' own counts (LiveOccupancy) stay the headline figure; this list names the people.
 */
export async function membersInside(
  deps: ServiceDeps,
  centreId: string,
  options: { inactivityLimitMs?: number } = {},
): Promise<MemberInside[]> {
  const limit = options.inactivityLimitMs ?? defaultInactivityLimitMs;
  const now = deps.clock.now();
  const since = now - limit;
  const db = deps.store.db;
  const rows = await db
    .selectFrom("access_events")
    .select(["id", "time", "type", "centre_id", "door_id", "direction", "member_id", "decision"])
    .where("type", "=", "access")
    .where("time", ">=", since)
    .where("time", "<=", now)
    .where("member_id", "in", (sub) =>
      sub
        .selectFrom("access_events")
        .select("member_id")
        .where("centre_id", "=", centreId)
        .where("type", "=", "access")
        .where("time", ">=", since)
        .where("member_id", "is not", null),
    )
    .execute();
  if (rows.length === 0) return [];
  const exits = await db
    .selectFrom("access_events")
    .select(["id", "time", "type", "centre_id", "door_id", "direction", "member_id", "decision"])
    .where("type", "=", "door.exit")
    .where("centre_id", "=", centreId)
    .where("time", ">=", since)
    .where("time", "<=", now)
    .execute();
  const events = [...rows, ...exits].sort(
    (a, b) => Number(a.time) - Number(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );

  const centreIds = new Set(rows.map((row) => row.centre_id));
  const centres = [...(await loadPresenceCentres(db)).values()]
    .filter((centre) => centreIds.has(centre.id))
    .map((centre) => ({ ...centre.presence, inactivityLimitMs: limit }));
  const tracker = new PresenceTracker({ centres, inactivityLimitMs: limit });
  for (const row of events) {
    const event: PresenceEvent = {
      id: row.id,
      time: new Date(Number(row.time)).toISOString(),
      type: row.type as PresenceEvent["type"],
      centre: row.centre_id,
      ...(row.door_id === null ? {} : { door: row.door_id }),
      ...(row.direction === null ? {} : { direction: row.direction }),
      ...(row.member_id === null ? {} : { member: row.member_id }),
      ...(row.decision === null ? {} : { decision: row.decision }),
    };
    try {
      tracker.record(event);
    } catch (error) {
      // An event of a centre since deleted cannot open a session; it must not hide the others.
      if (!(error instanceof PresenceError)) throw error;
    }
  }
  tracker.advanceTo(now);
  const inside = tracker.openSessions().filter((session) => session.centre === centreId);
  if (inside.length === 0) return [];
  const names = new Map(
    (
      await db
        .selectFrom("members")
        .select(["id", "name"])
        .where(
          "id",
          "in",
          inside.map((session) => session.member),
        )
        .execute()
    ).map((member) => [member.id, member.name]),
  );
  return inside
    .map((session) => ({
      memberId: session.member,
      name: names.get(session.member) ?? null,
      since: session.openedAt,
      lastSeenAt: session.lastSeenAt,
    }))
    .sort((a, b) => a.since - b.since || a.memberId.localeCompare(b.memberId));
}
