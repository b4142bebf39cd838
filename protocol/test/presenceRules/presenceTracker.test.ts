import { describe, expect, it } from "vitest";
import {
  type CentreHours,
  PresenceError,
  type PresenceEvent,
  PresenceTracker,
} from "../../src/index.js";

const hour = 3_600_000;
const at = (iso: string) => Date.parse(iso);

const weekdays = [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }];
const redu: CentreHours = {
  id: "redu",
  timeZone: "Europe/Brussels",
  openingHours: weekdays,
  closedDates: [],
};
const libin: CentreHours = { ...redu, id: "libin" };

const doorZones = new Map<string, readonly string[]>([
  ["redu-main", ["open-space"]],
  ["redu-room", ["room-a"]],
  ["libin-main", ["ground"]],
]);

// These cases pin the deadline rules, so they run with the closing-time policy (the deadline
// itself); the other policies have their own file.
function tracker(inactivityLimitMs?: number) {
  return new PresenceTracker({
    centres: [redu, libin],
    doorZones,
    noExitPolicy: { kind: "closing-time" },
    ...(inactivityLimitMs === undefined ? {} : { inactivityLimitMs }),
  });
}

const badge = (time: string, member: string, over: Partial<PresenceEvent> = {}): PresenceEvent => ({
  id: `ev-${time}-${member}`,
  time,
  type: "access",
  centre: "redu",
  door: "redu-main",
  direction: "in",
  member,
  decision: "granted",
  ...over,
});

// Monday 23 November 2026 in Brussels is UTC+1: 09:00Z is 10:00 local, 17:00Z is 18:00 closing.
describe("presence sessions", () => {
  it("opens at a granted entry and closes at the exit badge", () => {
    const t = tracker();
    expect(t.record(badge("2026-11-23T09:00:00Z", "ana"))).toEqual([]);
    expect(t.insideCount("redu")).toBe(1);
    const closed = t.record(badge("2026-11-23T11:30:00Z", "ana", { direction: "out" }));
    expect(closed).toEqual([
      {
        member: "ana",
        centre: "redu",
        openedAt: at("2026-11-23T09:00:00Z"),
        closedAt: at("2026-11-23T11:30:00Z"),
        durationMs: 2.5 * hour,
        reason: "exit",
        confirmed: true,
        openEvent: "ev-2026-11-23T09:00:00Z-ana",
        closeEvent: "ev-2026-11-23T11:30:00Z-ana",
      },
    ]);
    expect(t.insideCount("redu")).toBe(0);
  });

  it("closes a session still open at the centre's closing time (missing exit)", () => {
    const t = tracker();
    t.record(badge("2026-11-23T15:00:00Z", "ana")); // 16:00 local
    expect(t.openSessions()[0]?.closingTime).toBe(at("2026-11-23T17:00:00Z"));
    expect(t.advanceTo(at("2026-11-23T16:59:59.999Z"))).toEqual([]);
    const closed = t.advanceTo(at("2026-11-23T20:00:00Z"));
    expect(closed).toMatchObject([
      { member: "ana", closedAt: at("2026-11-23T17:00:00Z"), reason: "closing-time" },
    ]);
    expect(closed[0]?.durationMs).toBe(2 * hour);
    expect(t.insideCount("redu")).toBe(0);
  });

  it("closes after the inactivity limit when that comes before closing time", () => {
    const t = tracker(2 * hour);
    t.record(badge("2026-11-23T08:00:00Z", "ana")); // 09:00 local, closing 18:00 local
    expect(t.nextDeadline()).toBe(at("2026-11-23T10:00:00Z"));
    expect(t.advanceTo(at("2026-11-23T10:00:00Z"))).toMatchObject([
      { member: "ana", closedAt: at("2026-11-23T10:00:00Z"), reason: "inactivity" },
    ]);
  });

  it("counts inactivity from the latest granted entry while inside", () => {
    const t = tracker(2 * hour);
    t.record(badge("2026-11-23T08:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:30:00Z", "ana", { door: "redu-room" }));
    expect(t.advanceTo(at("2026-11-23T10:00:00Z"))).toEqual([]);
    expect(t.advanceTo(at("2026-11-23T11:30:00Z"))).toMatchObject([
      { openedAt: at("2026-11-23T08:00:00Z"), closedAt: at("2026-11-23T11:30:00Z") },
    ]);
  });

  it("gives a staff visit outside opening hours only the inactivity limit (12 h by default)", () => {
    const t = tracker();
    t.record(badge("2026-11-23T06:00:00Z", "staff")); // 07:00 local, before opening
    expect(t.openSessions()[0]?.closingTime).toBeNull();
    // Not closed at 18:00 local although the centre closes then: it did not open in hours.
    expect(t.advanceTo(at("2026-11-23T17:00:00Z"))).toEqual([]);
    expect(t.advanceTo(at("2026-11-23T17:59:59.999Z"))).toEqual([]);
    expect(t.advanceTo(at("2026-11-23T18:00:00Z"))).toMatchObject([
      { member: "staff", closedAt: at("2026-11-23T18:00:00Z"), reason: "inactivity" },
    ]);
  });

  it("does not open a second session for a second entry at the same centre", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(t.record(badge("2026-11-23T10:00:00Z", "ana"))).toEqual([]);
    expect(t.insideCount("redu")).toBe(1);
    expect(t.openSessions()).toHaveLength(1);
    expect(t.openSessions()[0]?.openedAt).toBe(at("2026-11-23T09:00:00Z"));
  });

  it("closes the open session at the time of a badge-in at another centre", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    const closed = t.record(
      badge("2026-11-23T13:00:00Z", "ana", { centre: "libin", door: "libin-main" }),
    );
    expect(closed).toMatchObject([
      {
        centre: "redu",
        openedAt: at("2026-11-23T09:00:00Z"),
        closedAt: at("2026-11-23T13:00:00Z"),
        reason: "other-centre",
      },
    ]);
    expect(t.insideCount("redu")).toBe(0);
    expect(t.insideCount("libin")).toBe(1);
    expect(t.openSessions()[0]).toMatchObject({
      centre: "libin",
      openedAt: at("2026-11-23T13:00:00Z"),
    });
  });

  it("closes yesterday's forgotten session at its closing time when the member comes back", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    const closed = t.record(badge("2026-11-24T08:00:00Z", "ana"));
    expect(closed).toMatchObject([
      { closedAt: at("2026-11-23T17:00:00Z"), reason: "closing-time" },
    ]);
    expect(t.openSessions()[0]?.openedAt).toBe(at("2026-11-24T08:00:00Z"));
  });

  it("takes the deadline as inclusive: an exit at the closing instant finds the session closed", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(t.record(badge("2026-11-23T17:00:00Z", "ana", { direction: "out" }))).toMatchObject([
      { reason: "closing-time", closedAt: at("2026-11-23T17:00:00Z") },
    ]);
  });

  it("ignores denied entries, other event types, events without member, exits with nothing open", () => {
    const t = tracker();
    expect(t.record(badge("2026-11-23T09:00:00Z", "ana", { decision: "denied" }))).toEqual([]);
    expect(t.record({ time: "2026-11-23T09:01:00Z", type: "door.opened", centre: "redu" })).toEqual(
      [],
    );
    const { member: _member, ...anonymous } = badge("2026-11-23T09:02:00Z", "x");
    expect(t.record(anonymous)).toEqual([]);
    expect(t.record(badge("2026-11-23T09:03:00Z", "bob", { direction: "out" }))).toEqual([]);
    expect(t.insideCount("redu")).toBe(0);
  });

  it("closes on a denied exit badge (egress is free), not on an exit at another centre", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(
      t.record(badge("2026-11-23T09:30:00Z", "ana", { centre: "libin", direction: "out" })),
    ).toEqual([]);
    expect(
      t.record(badge("2026-11-23T10:00:00Z", "ana", { direction: "out", decision: "denied" })),
    ).toMatchObject([{ reason: "exit", closedAt: at("2026-11-23T10:00:00Z") }]);
  });

  it("counts members per zone by the door of their latest entry", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:05:00Z", "bob"));
    t.record(badge("2026-11-23T09:10:00Z", "cyd", { door: "unmapped-door" }));
    expect(t.zoneCounts("redu")).toEqual([{ zone: "open-space", inside: 2 }]);
    t.record(badge("2026-11-23T09:20:00Z", "bob", { door: "redu-room" }));
    expect(t.zoneCounts("redu")).toEqual([
      { zone: "open-space", inside: 1 },
      { zone: "room-a", inside: 1 },
    ]);
    expect(t.insideCount("redu")).toBe(3);
    expect(t.zoneCounts("libin")).toEqual([]);
  });

  it("refuses events out of time order per member, unparsable times and unknown centres", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(() => t.record(badge("2026-11-23T08:59:59Z", "ana"))).toThrow(
      expect.objectContaining({ code: "presence.out-of-order" }),
    );
    // Another member's earlier event is fine: the order is per member.
    expect(t.record(badge("2026-11-23T08:00:00Z", "bob"))).toEqual([]);
    expect(() => t.record(badge("yesterday", "ana"))).toThrow(
      expect.objectContaining({ code: "presence.invalid-time" }),
    );
    expect(() => t.record(badge("2026-11-23T10:00:00Z", "ana", { centre: "nowhere" }))).toThrow(
      expect.objectContaining({ code: "presence.unknown-centre" }),
    );
    // A refused event changes nothing.
    expect(t.openSessions().map((s) => [s.member, s.centre])).toEqual([
      ["ana", "redu"],
      ["bob", "redu"],
    ]);
  });

  it("re-reads closing times of open sessions when a centre's hours change", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.setCentre({ ...redu, openingHours: [{ days: [1], open: "08:00", close: "12:00" }] });
    expect(t.nextDeadline()).toBe(at("2026-11-23T11:00:00Z"));
    expect(() => t.setCentre({ ...redu, timeZone: "Mars/Olympus" })).toThrow(PresenceError);
  });

  it("closes due sessions in time order and reports nothing when nobody is inside", () => {
    const t = tracker(hour);
    expect(t.nextDeadline()).toBeNull();
    t.record(badge("2026-11-23T09:30:00Z", "bob"));
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(t.advanceTo(at("2026-11-23T12:00:00Z")).map((s) => s.member)).toEqual(["ana", "bob"]);
    expect(t.advanceTo(at("2026-11-23T13:00:00Z"))).toEqual([]);
  });

  it("refuses a nonsensical inactivity limit", () => {
    expect(() => new PresenceTracker({ inactivityLimitMs: 0 })).toThrow(PresenceError);
    expect(() => new PresenceTracker({ inactivityLimitMs: Number.NaN })).toThrow(PresenceError);
  });

  it("uses a centre's own inactivity limit over the tracker's default", () => {
    const t = new PresenceTracker({
      centres: [{ ...redu, inactivityLimitMs: 2 * hour }, libin],
      inactivityLimitMs: 3 * hour,
      noExitPolicy: { kind: "closing-time" },
    });
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:00:00Z", "bob", { centre: "libin", door: "libin-main" }));
    const closed = t.advanceTo(at("2026-11-23T12:00:00Z"));
    expect(closed.map((s) => [s.member, s.closedAt, s.reason])).toEqual([
      ["ana", at("2026-11-23T11:00:00Z"), "inactivity"],
      ["bob", at("2026-11-23T12:00:00Z"), "inactivity"],
    ]);
    expect(() => t.setCentre({ ...redu, inactivityLimitMs: -1 })).toThrow(PresenceError);
  });
});
