import type { GatewayEvent } from "../schemas/events.js";
import type { closeReasons } from "../vocabulary.js";
import { type CentreHours, closingTimeAfter } from "./closingTime.js";
import {
  assertNoExitPolicy,
  defaultNoExitPolicy,
  type NoExitPolicy,
  noExitEnd,
} from "./noExitPolicy.js";
import { PresenceError } from "./presenceError.js";
import { type PresenceNote, type PresenceNoteKind, presenceNoteKinds } from "./presenceNotes.js";
import { assertTimeZone } from "./zonedTime.js";

/** The fields of an event that presence reads; a GatewayEvent is one. */
export type PresenceEvent = Pick<GatewayEvent, "time" | "type" | "centre"> &
  Partial<Pick<GatewayEvent, "id" | "door" | "direction" | "member" | "decision">>;

/** How a session ended (the list and what each means: vocabulary.ts `closeReasons`). */
export type CloseReason = (typeof closeReasons)[number];

/** The reasons a rule chose rather than an event showed: such sessions are unconfirmed. */
export const unconfirmedCloseReasons: ReadonlySet<CloseReason> = new Set<CloseReason>([
  "closing-time",
  "inactivity",
  "cap",
]);

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
  /**
   * When the session is decided unless an exit, the last-out or another centre closes it first:
   * the closing time or the inactivity limit, the earlier.
   */
  readonly closesAt: number;
  /** The time it is given if it is decided at `closesAt` (the centre's no-exit policy). */
  readonly endsAt: number;
  readonly openEvent?: string;
}

export interface ClosedSession {
  readonly member: string;
  readonly centre: string;
  readonly openedAt: number;
  readonly closedAt: number;
  readonly durationMs: number;
  readonly reason: CloseReason;
  /** True when an event showed the end (exit, last-out, other centre); false for a policy's. */
  readonly confirmed: boolean;
  readonly openEvent?: string;
  /** The event that closed it (exit badge, anonymous exit, badge-in elsewhere); none by time. */
  readonly closeEvent?: string;
}

/** A centre's hours, and optionally its own inactivity limit and no-exit policy. */
export type CentrePresence = CentreHours & {
  readonly inactivityLimitMs?: number;
  readonly noExitPolicy?: NoExitPolicy;
};

export interface PresenceTrackerOptions {
  centres?: Iterable<CentrePresence>;
  /** Each door's zones (bundle `doors[].zones`), for the counts per zone. */
  doorZones?: ReadonlyMap<string, readonly string[]>;
  /** Decides a session this long after its latest granted entry; 12 h by default. */
  inactivityLimitMs?: number;
  /** For centres without their own; `defaultNoExitPolicy` (last seen + 30 min) by default. */
  noExitPolicy?: NoExitPolicy;
  /** Each input handled by a rule (exit at zero, exit badge of someone not inside, write-off). */
  onNote?(note: PresenceNote): void;
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
  /** The centre's counted anonymous exits at this member's latest granted entry there. */
  anonymousExitsAtEntry: number;
  openEvent?: string;
}

/** A centre's headcount and when it is written off if nobody is attributed inside by then. */
interface CentreCount {
  headcount: number;
  /** The deadline of the latest counted entry, or of a later time-decided session; null at 0. */
  expiresAt: number | null;
  /** Anonymous exits that lowered the headcount so far (never reset): was a re-entrant out? */
  anonymousExits: number;
}

/**
 * Presence from gateway events (docs/gateway-door-outbox.md "Presence rules"; docs/hours.md),
 * shared by the gateway (live occupancy of its centre) and the cloud (hours and settlement). Two
 * figures per centre:
 *
 * **Headcount**: entries − exits, never below 0. Every granted entry (an `access` event with a
 * member, not direction "out") is one person in, except a member already inside badging in
 * again with no anonymous exit counted at the centre since their latest entry: that is the same
 * person (a second tap, or a way out no door counted), not one more; an exit badge of a member inside, or an
 * anonymous `door.exit`, is one person out. An exit at headcount 0 is ignored and noted
 * (`exit-at-zero`); an exit badge of a member with no open session there does not move it
 * (`exit-not-inside`: their entry was not counted). A badge-in at another centre closes the
 * session without moving the old centre's headcount (the member may have left through a counted
 * exit already). A headcount still above 0 when the deadline of the centre's latest entry has
 * passed with nobody attributed inside is written off to 0 (`headcount-written-off`), so exits
 * the doors missed do not pile up from day to day.
 *
 * **Attributed sessions**, one per member inside:
 * - a granted entry opens a session; a second granted entry at the same centre while inside
 *   opens none (it refreshes the inactivity limit and moves the member to that door's zones);
 * - an exit badge (direction "out", whatever its decision: egress is free) closes it: "exit";
 * - when the headcount reaches 0 (an anonymous exit or an exit badge), everyone still open
 *   there has left: each session closes at that exit's time, "last-out";
 * - a granted entry at another centre closes it at that entry's time: "other-centre";
 * - otherwise it is decided at its deadline, the centre's closing time or the inactivity limit
 *   after the latest granted entry, whichever is first (a session opened outside opening hours
 *   only has the limit), and given the time of the centre's no-exit policy (noExitPolicy.ts):
 *   "closing-time", "inactivity" or "cap", unconfirmed.
 *
 * Events must be fed in time order per member, and in time order per centre for the headcount
 * to mean anything: an event older than that member's previous one is refused with
 * `presence.out-of-order`, and so is an anonymous exit older than its centre's latest event (it
 * would close, as last-out, sessions that opened after it). The last-out never closes a session
 * that opened after the exit. Feeding an event first decides the sessions of its centre (and its
 * member's) whose deadline it has passed. `advanceTo(now)` decides sessions whose time has come;
 * call it with a time no later than any event still to be fed. Deadlines are inclusive: an event
 * at a session's exact deadline finds it decided.
 */
export class PresenceTracker {
  private readonly centres = new Map<string, CentrePresence>();
  private readonly sessions = new Map<string, Session>();
  private readonly lastEventAt = new Map<string, number>();
  private readonly centreEventAt = new Map<string, number>();
  private readonly counts = new Map<string, CentreCount>();
  private readonly notes = new Map<string, Map<PresenceNoteKind, number>>();
  private doorZones: ReadonlyMap<string, readonly string[]>;
  private readonly inactivityLimitMs: number;
  private readonly noExitPolicy: NoExitPolicy;
  private readonly onNote: ((note: PresenceNote) => void) | undefined;

  constructor(options: PresenceTrackerOptions = {}) {
    const limit = options.inactivityLimitMs ?? defaultInactivityLimitMs;
    if (!Number.isFinite(limit) || limit <= 0) {
      throw new PresenceError("presence.invalid-option", `not an inactivity limit: ${limit}`);
    }
    this.inactivityLimitMs = limit;
    this.noExitPolicy = options.noExitPolicy ?? defaultNoExitPolicy;
    assertNoExitPolicy(this.noExitPolicy);
    this.onNote = options.onNote;
    this.doorZones = options.doorZones ?? new Map();
    for (const centre of options.centres ?? []) this.setCentre(centre);
  }

  /** Adds or replaces a centre's hours and policy; open sessions there get their deadline again. */
  setCentre(centre: CentrePresence): void {
    assertTimeZone(centre.timeZone); // refused now, not at the next badge
    const limit = centre.inactivityLimitMs;
    if (limit !== undefined && (!Number.isFinite(limit) || limit <= 0)) {
      throw new PresenceError("presence.invalid-option", `not an inactivity limit: ${limit}`);
    }
    if (centre.noExitPolicy !== undefined) assertNoExitPolicy(centre.noExitPolicy);
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

  /** Feeds one event; returns the sessions it closed (possibly ones whose time had come before). */
  record(event: PresenceEvent): ClosedSession[] {
    const at = Date.parse(event.time);
    if (Number.isNaN(at)) {
      throw new PresenceError("presence.invalid-time", `not a time: ${String(event.time)}`);
    }
    if (event.type === "door.exit") return this.recordAnonymousExit(event, at);
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
    const closed = this.decideDue(at, event.centre, member);
    this.touchCentre(event.centre, at);
    const session = this.sessions.get(member);

    if (event.direction === "out") {
      closed.push(...this.exitBadge(event, member, at, session));
      return closed;
    }
    if (!entry) return closed;
    const zones = event.door === undefined ? [] : (this.doorZones.get(event.door) ?? []);
    if (session?.centre === event.centre) {
      // Inside already: one more person only if an anonymous exit since their latest entry may
      // have been theirs. Otherwise it is the same person again (a second tap, or an exit the
      // door did not count), and counting them twice would keep the centre from ever reaching
      // 0 (no last out) and overstate the board.
      const exits = this.anonymousExitsAt(event.centre);
      this.countEntry(event.centre, at, exits > session.anonymousExitsAtEntry ? 1 : 0);
      session.anonymousExitsAtEntry = exits;
      session.lastSeenAt = at;
      session.zones = zones;
      session.closesAt = this.deadline(session);
      return closed;
    }
    this.countEntry(event.centre, at, 1);
    if (session) closed.push(this.close(session, at, "other-centre", event.id));
    this.open(member, event.centre, at, zones, event.id);
    return closed;
  }

  /** Decides every session whose deadline is at or before `now`; writes off stale headcounts. */
  advanceTo(now: number): ClosedSession[] {
    const closed = this.decideWhere(now, () => true);
    for (const centre of this.counts.keys()) this.writeOffIfDue(centre, now);
    return closed;
  }

  /** The earliest time `advanceTo` would change something, or null when nobody is inside. */
  nextDeadline(): number | null {
    let next: number | null = null;
    const earlier = (time: number) => {
      if (next === null || time < next) next = time;
    };
    for (const session of this.sessions.values()) earlier(session.closesAt);
    for (const [centre, count] of this.counts) {
      if (count.expiresAt !== null && count.headcount > 0 && this.insideCount(centre) === 0) {
        earlier(count.expiresAt);
      }
    }
    return next;
  }

  /** Entries − exits at a centre, never below 0. */
  headcount(centre: string): number {
    return this.counts.get(centre)?.headcount ?? 0;
  }

  /** Members with an open session at a centre (the attributed count). */
  insideCount(centre: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.centre === centre) count++;
    return count;
  }

  /** How often each rule of presenceNotes.ts was applied at a centre. */
  noteCounts(centre: string): Record<PresenceNoteKind, number> {
    const counts = this.notes.get(centre);
    return Object.fromEntries(
      presenceNoteKinds.map((kind) => [kind, counts?.get(kind) ?? 0]),
    ) as Record<PresenceNoteKind, number>;
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
    return [...this.sessions.values()].map(({ anonymousExitsAtEntry: _exits, ...session }) => ({
      ...session,
      endsAt: this.timeEnd(session as Session).at,
    }));
  }

  private recordAnonymousExit(event: PresenceEvent, at: number): ClosedSession[] {
    const latest = this.centreEventAt.get(event.centre);
    if (latest !== undefined && at < latest) {
      throw new PresenceError(
        "presence.out-of-order",
        `exit at ${event.time} is older than centre ${event.centre}'s latest event`,
      );
    }
    const closed = this.decideDue(at, event.centre);
    this.touchCentre(event.centre, at);
    const count = this.counts.get(event.centre);
    if (count !== undefined && count.headcount > 0) count.anonymousExits++;
    closed.push(...this.countExit(event.centre, at, event.id));
    return closed;
  }

  private exitBadge(
    event: PresenceEvent,
    member: string,
    at: number,
    session: Session | undefined,
  ): ClosedSession[] {
    if (session?.centre !== event.centre) {
      this.note({ kind: "exit-not-inside", centre: event.centre, at, member, event: event.id });
      return [];
    }
    const closed = [this.close(session, at, "exit", event.id)];
    closed.push(...this.countExit(event.centre, at, event.id, member));
    return closed;
  }

  /** One person out: the headcount goes down, and at 0 everyone still open there has left. */
  private countExit(centre: string, at: number, id?: string, member?: string): ClosedSession[] {
    const count = this.counts.get(centre);
    if (count === undefined || count.headcount === 0) {
      this.note({
        kind: "exit-at-zero",
        centre,
        at,
        ...(member === undefined ? {} : { member }),
        ...(id === undefined ? {} : { event: id }),
      });
      return [];
    }
    count.headcount--;
    if (count.headcount > 0) return [];
    count.expiresAt = null;
    return [...this.sessions.values()]
      .filter((session) => session.centre === centre && session.openedAt <= at)
      .sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0))
      .map((session) => this.close(session, at, "last-out", id));
  }

  private anonymousExitsAt(centre: string): number {
    return this.counts.get(centre)?.anonymousExits ?? 0;
  }

  /** A granted entry: `people` more in the headcount (0 for a re-entry), its deadline kept. */
  private countEntry(centre: string, at: number, people: 0 | 1): void {
    const count = this.counts.get(centre) ?? { headcount: 0, expiresAt: null, anonymousExits: 0 };
    this.counts.set(centre, count);
    count.headcount += people;
    const hours = this.centres.get(centre) as CentreHours;
    const idle = at + this.limitAt(centre);
    const closing = closingTimeAfter(at, hours);
    const deadline = closing === null ? idle : Math.min(closing, idle);
    count.expiresAt = Math.max(count.expiresAt ?? deadline, deadline);
  }

  private touchCentre(centre: string, at: number): void {
    this.centreEventAt.set(centre, Math.max(this.centreEventAt.get(centre) ?? at, at));
  }

  /** Decides the sessions of `centre` (and of `member`, wherever) that are due at `at`. */
  private decideDue(at: number, centre: string, member?: string): ClosedSession[] {
    const closed = this.decideWhere(
      at,
      (session) => session.centre === centre || session.member === member,
    );
    for (const centreId of new Set([centre, ...closed.map((session) => session.centre)])) {
      this.writeOffIfDue(centreId, at);
    }
    return closed;
  }

  private decideWhere(now: number, which: (session: Session) => boolean): ClosedSession[] {
    const due = [...this.sessions.values()]
      .filter((session) => session.closesAt <= now && which(session))
      .sort(
        (a, b) =>
          a.closesAt - b.closesAt || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0),
      );
    return due.map((session) => {
      const count = this.counts.get(session.centre);
      // Someone attributed was inside until this deadline: the headcount is not stale before it.
      if (count !== undefined && count.expiresAt !== null && count.expiresAt < session.closesAt) {
        count.expiresAt = session.closesAt;
      }
      const end = this.timeEnd(session);
      return this.close(session, end.at, end.reason);
    });
  }

  private writeOffIfDue(centre: string, now: number): void {
    const count = this.counts.get(centre);
    if (count === undefined || count.headcount === 0 || count.expiresAt === null) return;
    if (count.expiresAt > now || this.insideCount(centre) > 0) return;
    this.note({
      kind: "headcount-written-off",
      centre,
      at: count.expiresAt,
      count: count.headcount,
    });
    count.headcount = 0;
    count.expiresAt = null;
  }

  private note(note: PresenceNote): void {
    let counts = this.notes.get(note.centre);
    if (counts === undefined) {
      counts = new Map();
      this.notes.set(note.centre, counts);
    }
    counts.set(note.kind, (counts.get(note.kind) ?? 0) + 1);
    this.onNote?.(note);
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
      anonymousExitsAtEntry: this.anonymousExitsAt(centre),
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
      confirmed: !unconfirmedCloseReasons.has(reason),
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

  /** The time and reason a session decided at its deadline is given, by its centre's policy. */
  private timeEnd(session: Session) {
    const deadlineReason =
      session.closingTime !== null &&
      session.closingTime <= session.lastSeenAt + this.limitAt(session.centre)
        ? "closing-time"
        : "inactivity";
    const policy = this.centres.get(session.centre)?.noExitPolicy ?? this.noExitPolicy;
    return noExitEnd(policy, {
      openedAt: session.openedAt,
      lastSeenAt: session.lastSeenAt,
      deadline: session.closesAt,
      deadlineReason,
    });
  }
}
