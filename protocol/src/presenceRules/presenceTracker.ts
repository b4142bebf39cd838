import type { GatewayEvent } from "../schemas/events.js";
import { type CentreHours, closingTimeAfter } from "./closingTime.js";
import { PresenceError } from "./presenceError.js";
import { assertTimeZone } from "./zonedTime.js";

/** The fields of an access event that presence reads; a GatewayEvent is one. */
export type PresenceEvent = Pick<GatewayEvent, "time" | "type" | "centre"> &
  Partial<Pick<GatewayEvent, "id" | "door" | "direction" | "member" | "decision">>;

export type CloseReason = "exit" | "closing-time" | "inactivity" | "other-centre";

/** A member inside a centre. Times are ms since the epoch. */
export interface OpenSession {
  readonly member: string;
  readonly centre: string;
  readonly openedAt: number;
  /** The latest granted entry at this centre (the inactivity limit counts from here). */
  readonly lastSeenAt: number;
  /** The zones of the door of the latest granted entry. */
  readonly zones: readonly string[];
  /** The centre's closing time for this session; null for a visit outside opening hours. */
  readonly closingTime: number | null;
  /** When the session closes unless an exit or another centre closes it first. */
  readonly closesAt: number;
  readonly openEvent?: string;
}

export interface ClosedSession {
  readonly member: string;
  readonly centre: string;
  readonly openedAt: number;
  readonly closedAt: number;
  readonly durationMs: number;
  readonly reason: CloseReason;
  readonly openEvent?: string;
  /** The event that closed it (exit badge, badge-in elsewhere); none for a time-based close. */
  readonly closeEvent?: string;
}

/** A centre's hours, and optionally its own inactivity limit (the cloud's per-centre setting). */
export type CentrePresence = CentreHours & { readonly inactivityLimitMs?: number };

export interface PresenceTrackerOptions {
  centres?: Iterable<CentrePresence>;
  /** Each door's zones (bundle `doors[].zones`), for the counts per zone. */
  doorZones?: ReadonlyMap<string, readonly string[]>;
  /** Closes a session this long after its latest granted entry; 12 h by default. */
  inactivityLimitMs?: number;
}

export const defaultInactivityLimitMs = 12 * 3_600_000;

interface Session {
  member: string;
  centre: string;
  openedAt: number;
  lastSeenAt: number;
  zones: readonly string[];
  closingTime: number | null;
  closesAt: number;
  openEvent?: string;
}

/**
 * Presence sessions from access events (docs/gateway-door-outbox.md,
 * "Presence rules"; docs/hours.md), shared by the gateway (live
 * occupancy of its centre) and the cloud (hours and settlement):
 *
 * - a granted entry opens a session; a second granted entry at the same centre while inside
 *   opens none (it refreshes the inactivity limit and moves the member to that door's zones);
 * - an exit badge (an access event with direction "out", whatever its decision: egress is free)
 *   closes it at the badge's time;
 * - so does the centre's closing time, or the inactivity limit after the latest granted entry,
 *   whichever is first (a session opened outside opening hours only has the limit);
 * - a granted entry at another centre closes the open one at that entry's time.
 *
 * Events must be fed in time order per member: the cloud sorts each member's events before
 * feeding them (late events are its job: it rebuilds that member's sessions); an event older
 * than that member's previous one is refused with `presence.out-of-order`. `advanceTo(now)` closes
 * sessions whose time has come; call it with a time no later than any event still to be fed.
 * Deadlines are inclusive: an event at a session's exact closing time finds it closed.
 */
export class PresenceTracker {
  private readonly centres = new Map<string, CentrePresence>();
  private readonly sessions = new Map<string, Session>();
  private readonly lastEventAt = new Map<string, number>();
  private doorZones: ReadonlyMap<string, readonly string[]>;
  private readonly inactivityLimitMs: number;

  constructor(options: PresenceTrackerOptions = {}) {
    const limit = options.inactivityLimitMs ?? defaultInactivityLimitMs;
    if (!Number.isFinite(limit) || limit <= 0) {
      throw new PresenceError("presence.invalid-option", `not an inactivity limit: ${limit}`);
    }
    this.inactivityLimitMs = limit;
    this.doorZones = options.doorZones ?? new Map();
    for (const centre of options.centres ?? []) this.setCentre(centre);
  }

  /** Adds or replaces a centre's hours; open sessions there get their closing time again. */
  setCentre(centre: CentrePresence): void {
    assertTimeZone(centre.timeZone); // refused now, not at the next badge
    const limit = centre.inactivityLimitMs;
    if (limit !== undefined && (!Number.isFinite(limit) || limit <= 0)) {
      throw new PresenceError("presence.invalid-option", `not an inactivity limit: ${limit}`);
    }
    this.centres.set(centre.id, centre);
    for (const session of this.sessions.values()) {
      if (session.centre !== centre.id) continue;
      session.closingTime = closingTimeAfter(session.openedAt, centre);
      session.closesAt = this.deadline(session);
    }
  }

  setDoorZones(doorZones: ReadonlyMap<string, readonly string[]>): void {
    this.doorZones = doorZones;
  }

  /** Feeds one event; returns the sessions it closed (possibly one whose time had come before). */
  record(event: PresenceEvent): ClosedSession[] {
    const at = Date.parse(event.time);
    if (Number.isNaN(at)) {
      throw new PresenceError("presence.invalid-time", `not a time: ${String(event.time)}`);
    }
    const member = event.member;
    if (event.type !== "access" || member === undefined) return [];
    const previous = this.lastEventAt.get(member);
    if (previous !== undefined && at < previous) {
      throw new PresenceError(
        "presence.out-of-order",
        `event at ${event.time} is older than this member's previous event`,
      );
    }
    const entry = event.decision === "granted" && event.direction !== "out";
    if (entry && !this.centres.has(event.centre)) {
      throw new PresenceError("presence.unknown-centre", `no hours for centre ${event.centre}`);
    }
    this.lastEventAt.set(member, at);

    const closed: ClosedSession[] = [];
    let session = this.sessions.get(member);
    if (session && session.closesAt <= at) {
      closed.push(this.close(session, session.closesAt, this.timeReason(session)));
      session = undefined;
    }
    if (event.direction === "out") {
      if (session?.centre === event.centre) {
        closed.push(this.close(session, at, "exit", event.id));
      }
      return closed;
    }
    if (!entry) return closed;
    const zones = event.door === undefined ? [] : (this.doorZones.get(event.door) ?? []);
    if (session?.centre === event.centre) {
      session.lastSeenAt = at;
      session.zones = zones;
      session.closesAt = this.deadline(session);
      return closed;
    }
    if (session) closed.push(this.close(session, at, "other-centre", event.id));
    this.open(member, event.centre, at, zones, event.id);
    return closed;
  }

  /** Closes every session whose closing time or inactivity limit is at or before `now`. */
  advanceTo(now: number): ClosedSession[] {
    const due = [...this.sessions.values()]
      .filter((session) => session.closesAt <= now)
      .sort((a, b) => a.closesAt - b.closesAt || a.member.localeCompare(b.member));
    return due.map((session) => this.close(session, session.closesAt, this.timeReason(session)));
  }

  /** The earliest time `advanceTo` would close something, or null when nobody is inside. */
  nextDeadline(): number | null {
    let next: number | null = null;
    for (const session of this.sessions.values()) {
      if (next === null || session.closesAt < next) next = session.closesAt;
    }
    return next;
  }

  insideCount(centre: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.centre === centre) count++;
    return count;
  }

  /** Members inside each zone of a centre, sorted by zone; zones nobody is in are left out. */
  zoneCounts(centre: string): { zone: string; inside: number }[] {
    const counts = new Map<string, number>();
    for (const session of this.sessions.values()) {
      if (session.centre !== centre) continue;
      for (const zone of new Set(session.zones)) counts.set(zone, (counts.get(zone) ?? 0) + 1);
    }
    return [...counts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([zone, inside]) => ({ zone, inside }));
  }

  openSessions(): OpenSession[] {
    return [...this.sessions.values()].map((session) => ({ ...session }));
  }

  private open(member: string, centre: string, at: number, zones: readonly string[], id?: string) {
    const hours = this.centres.get(centre) as CentreHours;
    const session: Session = {
      member,
      centre,
      openedAt: at,
      lastSeenAt: at,
      zones,
      closingTime: closingTimeAfter(at, hours),
      closesAt: at,
      ...(id === undefined ? {} : { openEvent: id }),
    };
    session.closesAt = this.deadline(session);
    this.sessions.set(member, session);
  }

  private close(session: Session, at: number, reason: CloseReason, id?: string): ClosedSession {
    this.sessions.delete(session.member);
    return {
      member: session.member,
      centre: session.centre,
      openedAt: session.openedAt,
      closedAt: at,
      durationMs: at - session.openedAt,
      reason,
      ...(session.openEvent === undefined ? {} : { openEvent: session.openEvent }),
      ...(id === undefined ? {} : { closeEvent: id }),
    };
  }

  private limitAt(centre: string): number {
    return this.centres.get(centre)?.inactivityLimitMs ?? this.inactivityLimitMs;
  }

  private deadline(session: Session): number {
    const idle = session.lastSeenAt + this.limitAt(session.centre);
    return session.closingTime === null ? idle : Math.min(session.closingTime, idle);
  }

  private timeReason(session: Session): CloseReason {
    return session.closingTime !== null &&
      session.closingTime <= session.lastSeenAt + this.limitAt(session.centre)
      ? "closing-time"
      : "inactivity";
  }
}
