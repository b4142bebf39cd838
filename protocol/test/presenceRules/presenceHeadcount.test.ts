import { describe, expect, it } from "vitest";
import { type PresenceNote, PresenceTracker } from "../../src/index.js";
import { at, badge, doorExit, exitBadge, hour, libin, minute, redu } from "./presenceFixtures.js";

function tracker(notes: PresenceNote[] = []) {
  return new PresenceTracker({
    centres: [redu, libin],
    noExitPolicy: { kind: "closing-time" },
    onNote: (note) => notes.push(note),
  });
}

describe("headcount and last-out", () => {
  it("counts entries − anonymous exits and closes everyone when it reaches 0 (exit button, free egress)", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:10:00Z", "bob"));
    t.record(badge("2026-11-23T09:20:00Z", "cyd"));
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([3, 3]);
    // Two people leave by the button: nobody can say who, so every session stays open.
    expect(t.record(doorExit("2026-11-23T10:00:00Z"))).toEqual([]);
    expect(t.record(doorExit("2026-11-23T11:00:00Z"))).toEqual([]);
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 3]);
    // The last one out: the centre is empty, every open session ends at this exit.
    const closed = t.record(doorExit("2026-11-23T12:00:00Z"));
    expect(closed.map((s) => [s.member, s.closedAt, s.durationMs, s.reason, s.confirmed])).toEqual([
      ["ana", at("2026-11-23T12:00:00Z"), 3 * hour, "last-out", true],
      ["bob", at("2026-11-23T12:00:00Z"), 2 * hour + 50 * minute, "last-out", true],
      ["cyd", at("2026-11-23T12:00:00Z"), 2 * hour + 40 * minute, "last-out", true],
    ]);
    expect(closed.every((s) => s.closeEvent === "exit-2026-11-23T12:00:00Z")).toBe(true);
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([0, 0]);
  });

  it("closes the exit badge's own session as 'exit' and the others as 'last-out' (exit reader)", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:10:00Z", "bob"));
    t.record(doorExit("2026-11-23T09:30:00Z")); // someone left by the button: 1 counted inside
    const closed = t.record(exitBadge("2026-11-23T10:00:00Z", "ana"));
    expect(closed).toEqual([
      {
        member: "ana",
        centre: "redu",
        openedAt: at("2026-11-23T09:00:00Z"),
        closedAt: at("2026-11-23T10:00:00Z"),
        durationMs: hour,
        reason: "exit",
        confirmed: true,
        openEvent: "ev-2026-11-23T09:00:00Z-ana",
        closeEvent: "ev-2026-11-23T10:00:00Z-ana",
      },
      {
        member: "bob",
        centre: "redu",
        openedAt: at("2026-11-23T09:10:00Z"),
        closedAt: at("2026-11-23T10:00:00Z"),
        durationMs: 50 * minute,
        reason: "last-out",
        confirmed: true,
        openEvent: "ev-2026-11-23T09:10:00Z-bob",
        closeEvent: "ev-2026-11-23T10:00:00Z-ana",
      },
    ]);
    expect(t.headcount("redu")).toBe(0);
  });

  it("an exit badge with others inside closes only its own session", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:10:00Z", "bob"));
    expect(t.record(exitBadge("2026-11-23T10:00:00Z", "ana")).map((s) => s.member)).toEqual([
      "ana",
    ]);
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 1]);
  });

  it("bills a day with a lunch break as two visits when the doors count the exits", () => {
    const t = tracker();
    t.record(badge("2026-11-23T07:00:00Z", "ana")); // 08:00 local
    const lunch = t.record(doorExit("2026-11-23T11:00:00Z")); // 12:00 local, by the button
    t.record(badge("2026-11-23T12:00:00Z", "ana")); // back at 13:00 local: a new session
    const evening = t.record(doorExit("2026-11-23T16:30:00Z")); // 17:30 local
    expect([...lunch, ...evening].map((s) => [s.openedAt, s.durationMs, s.reason])).toEqual([
      [at("2026-11-23T07:00:00Z"), 4 * hour, "last-out"],
      [at("2026-11-23T12:00:00Z"), 4.5 * hour, "last-out"],
    ]);
  });

  it("keeps the headcount at 0 on an exit when nobody is counted inside (rule: ignored, noted)", () => {
    const notes: PresenceNote[] = [];
    const t = tracker(notes);
    expect(t.record(doorExit("2026-11-23T08:00:00Z"))).toEqual([]);
    expect(t.headcount("redu")).toBe(0);
    expect(notes).toEqual([
      {
        kind: "exit-at-zero",
        centre: "redu",
        at: at("2026-11-23T08:00:00Z"),
        event: "exit-2026-11-23T08:00:00Z",
      },
    ]);
    // The ignored exit is not banked: the next entry makes 1, not 0.
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(t.headcount("redu")).toBe(1);
    expect(t.noteCounts("redu")).toEqual({
      "exit-at-zero": 1,
      "exit-not-inside": 0,
      "headcount-written-off": 0,
    });
  });

  it("does not move the headcount on an exit badge of someone not inside (rule: noted)", () => {
    const notes: PresenceNote[] = [];
    const t = tracker(notes);
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(t.record(exitBadge("2026-11-23T10:00:00Z", "bob"))).toEqual([]);
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 1]);
    expect(notes).toEqual([
      {
        kind: "exit-not-inside",
        centre: "redu",
        at: at("2026-11-23T10:00:00Z"),
        member: "bob",
        event: "ev-2026-11-23T10:00:00Z-bob",
      },
    ]);
  });

  it("counts a re-entry while inside once: the same person again unless an anonymous exit came between", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    // A second tap, or ana went out through a door that counted nobody: still one person.
    t.record(badge("2026-11-23T09:05:00Z", "ana"));
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 1]);
    // Lunch out by the button is one exit: the centre is empty, ana's session ends (last out).
    expect(t.record(doorExit("2026-11-23T12:00:00Z")).map((s) => s.reason)).toEqual(["last-out"]);
    t.record(badge("2026-11-23T13:00:00Z", "ana"));
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 1]);
  });

  it("counts a re-entry as one more when an anonymous exit since the member's entry may have been theirs", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:10:00Z", "bob"));
    t.record(doorExit("2026-11-23T12:00:00Z")); // ana or bob: 1, both still attributed
    t.record(badge("2026-11-23T13:00:00Z", "ana")); // if it was ana, she is back: 2
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([2, 2]);
    // Her next tap, with no exit in between, is not a third person.
    t.record(badge("2026-11-23T13:01:00Z", "ana"));
    expect(t.headcount("redu")).toBe(2);
    t.record(doorExit("2026-11-23T15:00:00Z"));
    expect(t.record(doorExit("2026-11-23T15:05:00Z")).map((s) => s.member)).toEqual(["ana", "bob"]);
  });

  it("leaves the old centre's headcount alone when a member badges in elsewhere", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T13:00:00Z", "ana", { centre: "libin", door: "libin-main" }));
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 0]);
    expect([t.headcount("libin"), t.insideCount("libin")]).toEqual([1, 1]);
  });

  it("writes a stale headcount off at the deadline of the latest entry, once nobody is attributed", () => {
    const notes: PresenceNote[] = [];
    const t = tracker(notes);
    const reduNotes = () => notes.filter((note) => note.centre === "redu");
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:05:00Z", "bob"));
    // Bob badges in at Libin: his Redu session ends there, but Redu's count keeps him (he may
    // have left through a counted exit already; here no door counted him).
    t.record(badge("2026-11-23T09:30:00Z", "bob", { centre: "libin", door: "libin-main" }));
    t.record(exitBadge("2026-11-23T10:00:00Z", "ana"));
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 0]);
    // 18:00 local is the closing time after the latest entry.
    expect(t.nextDeadline()).toBe(at("2026-11-23T17:00:00Z"));
    t.advanceTo(at("2026-11-23T16:59:59.999Z"));
    expect(t.headcount("redu")).toBe(1);
    t.advanceTo(at("2026-11-23T17:00:00Z"));
    expect(t.headcount("redu")).toBe(0);
    expect(reduNotes()).toEqual([
      { kind: "headcount-written-off", centre: "redu", at: at("2026-11-23T17:00:00Z"), count: 1 },
    ]);
    expect(t.nextDeadline()).toBeNull();
  });

  it("does not write the headcount off while an attributed session is still running", () => {
    const notes: PresenceNote[] = [];
    const t = tracker(notes);
    const reduNotes = () => notes.filter((note) => note.centre === "redu");
    // A staff visit from 07:00 local (outside hours: only the 12 h limit), badging again at 10:00;
    // bob came in at 07:30 and went on to Libin unseen (Redu still counts him).
    t.record(badge("2026-11-23T06:00:00Z", "staff"));
    t.record(badge("2026-11-23T06:30:00Z", "bob"));
    t.record(badge("2026-11-23T07:00:00Z", "bob", { centre: "libin", door: "libin-main" }));
    t.record(badge("2026-11-23T09:00:00Z", "staff"));
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([2, 1]);
    t.advanceTo(at("2026-11-23T20:59:59Z"));
    expect([t.headcount("redu"), reduNotes()]).toEqual([2, []]);
    // Decided 12 h after 09:00Z; the headcount goes with it.
    expect(t.advanceTo(at("2026-11-23T21:00:00Z"))).toMatchObject([
      { member: "staff", closedAt: at("2026-11-23T21:00:00Z"), reason: "inactivity" },
    ]);
    expect(t.headcount("redu")).toBe(0);
    expect(reduNotes()).toEqual([
      { kind: "headcount-written-off", centre: "redu", at: at("2026-11-23T21:00:00Z"), count: 2 },
    ]);
  });

  it("writes off before an entry that comes after the deadline, so the new entry counts", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:05:00Z", "ana"));
    t.record(exitBadge("2026-11-23T10:00:00Z", "ana"));
    // No advanceTo in between: feeding the next morning's entry decides yesterday first.
    t.record(badge("2026-11-24T08:00:00Z", "bob"));
    expect(t.headcount("redu")).toBe(1);
  });

  it("refuses an anonymous exit older than its centre's latest event, changing nothing", () => {
    const t = tracker();
    t.record(badge("2026-11-23T10:00:00Z", "ana"));
    expect(() => t.record(doorExit("2026-11-23T09:00:00Z"))).toThrow(
      expect.objectContaining({ code: "presence.out-of-order" }),
    );
    expect([t.headcount("redu"), t.insideCount("redu")]).toEqual([1, 1]);
  });

  it("never closes, as last-out, a session that opened after the exit", () => {
    const t = tracker();
    // Fed member by member (the order is enforced per member only).
    t.record(badge("2026-11-23T11:00:00Z", "bob"));
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(doorExit("2026-11-23T11:30:00Z"));
    const closed = t.record(exitBadge("2026-11-23T10:00:00Z", "ana"));
    expect(closed.map((s) => [s.member, s.reason])).toEqual([["ana", "exit"]]);
    expect(t.headcount("redu")).toBe(0);
    expect(t.openSessions().map((s) => s.member)).toEqual(["bob"]);
  });

  it("ignores anonymous exits and entries of other centres for this centre's count", () => {
    const t = tracker();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(doorExit("2026-11-23T09:30:00Z", "libin"));
    expect([
      t.headcount("redu"),
      t.headcount("libin"),
      t.noteCounts("libin")["exit-at-zero"],
    ]).toEqual([1, 0, 1]);
  });
});
