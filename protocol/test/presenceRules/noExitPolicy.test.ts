import { describe, expect, it } from "vitest";
import {
  defaultNoExitPolicy,
  type NoExitPolicy,
  PresenceError,
  PresenceTracker,
} from "../../src/index.js";
import { aroundTheClock, at, badge, hour, libin, minute, redu } from "./presenceFixtures.js";

const withPolicy = (noExitPolicy?: NoExitPolicy) =>
  new PresenceTracker({
    centres: [redu, libin, aroundTheClock],
    ...(noExitPolicy === undefined ? {} : { noExitPolicy }),
  });

const summary = (s: {
  closedAt: number;
  durationMs: number;
  reason: string;
  confirmed: boolean;
}) => [s.closedAt, s.durationMs, s.reason, s.confirmed];

describe("no-exit policies", () => {
  it("closing-time: a session nobody saw end runs to the closing time, unconfirmed", () => {
    const t = withPolicy({ kind: "closing-time" });
    t.record(badge("2026-11-23T09:00:00Z", "ana")); // 10:00 local, closes 18:00 local
    expect(t.advanceTo(at("2026-11-23T17:00:00Z")).map(summary)).toEqual([
      [at("2026-11-23T17:00:00Z"), 8 * hour, "closing-time", false],
    ]);
  });

  it("last-seen is the default: 30 min after the latest granted entry, decided at the deadline", () => {
    expect(defaultNoExitPolicy).toEqual({ kind: "last-seen", graceMs: 30 * minute });
    const t = withPolicy();
    t.record(badge("2026-11-23T07:00:00Z", "ana")); // 08:00 local
    t.record(badge("2026-11-23T12:00:00Z", "ana")); // back from lunch at 13:00 local
    // Still open until the deadline (a later badge could still extend it) …
    expect(t.advanceTo(at("2026-11-23T16:59:59.999Z"))).toEqual([]);
    expect(t.openSessions()[0]).toMatchObject({
      closesAt: at("2026-11-23T17:00:00Z"),
      endsAt: at("2026-11-23T12:30:00Z"),
    });
    // … then given 12:30Z: 07:00 → 12:30 is 5.5 h, not the 10 h to closing time.
    expect(t.advanceTo(at("2026-11-23T17:00:00Z")).map(summary)).toEqual([
      [at("2026-11-23T12:30:00Z"), 5.5 * hour, "inactivity", false],
    ]);
  });

  it("last-seen bills a one-hour visit at a 24/7 centre 30 min, not the 12 h inactivity limit", () => {
    const t = withPolicy({ kind: "last-seen", graceMs: 30 * minute });
    t.record(badge("2026-11-23T10:00:00Z", "ana", { centre: "tellin", door: "tellin-main" }));
    expect(t.nextDeadline()).toBe(at("2026-11-23T22:00:00Z"));
    expect(t.advanceTo(at("2026-11-23T22:00:00Z")).map(summary)).toEqual([
      [at("2026-11-23T10:30:00Z"), 30 * minute, "inactivity", false],
    ]);
  });

  it("last-seen never gives more than the deadline: an entry 15 min before closing ends at closing", () => {
    const t = withPolicy({ kind: "last-seen", graceMs: 30 * minute });
    t.record(badge("2026-11-23T16:45:00Z", "ana"));
    expect(t.advanceTo(at("2026-11-23T17:00:00Z")).map(summary)).toEqual([
      [at("2026-11-23T17:00:00Z"), 15 * minute, "closing-time", false],
    ]);
  });

  it("last-seen closes yesterday's session at its own time when the member comes back", () => {
    const t = withPolicy();
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    expect(t.record(badge("2026-11-24T08:00:00Z", "ana")).map(summary)).toEqual([
      [at("2026-11-23T09:30:00Z"), 30 * minute, "inactivity", false],
    ]);
  });

  it("cap: the opening plus the maximum, or the deadline when that comes first", () => {
    const t = withPolicy({ kind: "cap", maxMs: 4 * hour });
    t.record(badge("2026-11-23T08:00:00Z", "ana")); // cap at 12:00Z, closing 17:00Z
    t.record(badge("2026-11-23T14:00:00Z", "bob")); // cap at 18:00Z, after closing
    expect(t.advanceTo(at("2026-11-23T17:00:00Z")).map((s) => [s.member, ...summary(s)])).toEqual([
      ["ana", at("2026-11-23T12:00:00Z"), 4 * hour, "cap", false],
      ["bob", at("2026-11-23T17:00:00Z"), 3 * hour, "closing-time", false],
    ]);
  });

  it("a centre's own policy wins over the tracker's", () => {
    const t = new PresenceTracker({
      centres: [{ ...redu, noExitPolicy: { kind: "cap", maxMs: 2 * hour } }, libin],
      noExitPolicy: { kind: "closing-time" },
    });
    t.record(badge("2026-11-23T09:00:00Z", "ana"));
    t.record(badge("2026-11-23T09:00:00Z", "bob", { centre: "libin", door: "libin-main" }));
    expect(
      t.advanceTo(at("2026-11-23T17:00:00Z")).map((s) => [s.member, s.closedAt, s.reason]),
    ).toEqual([
      ["ana", at("2026-11-23T11:00:00Z"), "cap"],
      ["bob", at("2026-11-23T17:00:00Z"), "closing-time"],
    ]);
  });

  it("a seen exit beats every policy and is confirmed", () => {
    for (const policy of [
      { kind: "closing-time" },
      { kind: "last-seen", graceMs: 30 * minute },
      { kind: "cap", maxMs: hour },
    ] satisfies NoExitPolicy[]) {
      const t = withPolicy(policy);
      t.record(badge("2026-11-23T09:00:00Z", "ana"));
      // The exit comes before the deadline, even after the policy's own time: it is what happened.
      const closed = t.record(badge("2026-11-23T11:00:00Z", "ana", { direction: "out" }));
      expect(closed.map(summary)).toEqual([[at("2026-11-23T11:00:00Z"), 2 * hour, "exit", true]]);
    }
  });

  it("refuses nonsensical policies, in the tracker and per centre", () => {
    const bad = [
      { kind: "last-seen", graceMs: 0 },
      { kind: "cap", maxMs: Number.NaN },
      { kind: "cap", maxMs: -1 },
      { kind: "whenever" },
    ] as unknown as NoExitPolicy[];
    for (const policy of bad) {
      expect(() => new PresenceTracker({ noExitPolicy: policy })).toThrow(PresenceError);
      expect(() => withPolicy().setCentre({ ...redu, noExitPolicy: policy })).toThrow(
        expect.objectContaining({ code: "presence.invalid-option" }),
      );
    }
  });
});
