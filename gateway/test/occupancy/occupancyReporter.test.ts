import {
  type CentreHours,
  type ClosedSession,
  encodeMessage,
  type GatewayEvent,
  type OccupancySample,
} from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  OccupancyReporter,
  type OccupancyReporterOptions,
} from "../../src/occupancy/occupancyReporter.js";

// Monday 23 November 2026, Brussels (UTC+1): open 08:00–18:00 local = 07:00Z–17:00Z.
const t0 = Date.parse("2026-11-23T09:00:00.000Z");
const redu: CentreHours = {
  id: "redu",
  timeZone: "Europe/Brussels",
  openingHours: [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }],
  closedDates: [],
};
const zones = new Map([
  ["main", ["open-space"]],
  ["room", ["room-a"]],
]);

let seq = 0;
function access(member: string, over: Partial<GatewayEvent> = {}): GatewayEvent {
  seq += 1;
  return {
    id: `0193a1b2-c3d4-7e5f-8a9b-${String(seq).padStart(12, "0")}`,
    seq,
    time: new Date(Date.now()).toISOString(),
    type: "access",
    centre: "redu",
    door: "main",
    direction: "in",
    member,
    decision: "granted",
    reason: "pass",
    ...over,
  };
}

function reporter(options: Partial<OccupancyReporterOptions> = {}) {
  const samples: OccupancySample[] = [];
  const closed: ClosedSession[] = [];
  const feed = new OccupancyReporter({
    centre: "redu",
    centreRules: () => redu,
    doorZones: () => zones,
    publish: async (sample) => {
      samples.push(sample);
    },
    onSessionClosed: (session) => closed.push(session),
    ...options,
  });
  const counts = () => samples.splice(0).map((s) => s.inside);
  return { feed, samples, closed, counts };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(t0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("occupancy reporter", () => {
  it("publishes the count inside and per zone on every change", () => {
    const r = reporter();
    r.feed.record(access("ana"));
    r.feed.record(access("bob", { door: "room" }));
    expect(r.samples.at(-1)).toEqual({
      time: new Date(t0).toISOString(),
      centre: "redu",
      inside: 2,
      headcount: 2,
      attributed: 2,
      members: ["ana", "bob"],
      zones: [
        { zone: "open-space", inside: 1 },
        { zone: "room-a", inside: 1 },
      ],
    });
    // Every sample is a valid `occupancy` message.
    for (const sample of r.samples) expect(() => encodeMessage("occupancy", sample)).not.toThrow();
    r.feed.record(access("ana", { direction: "out" }));
    expect(r.counts()).toEqual([1, 2, 1]);
    expect(r.closed).toMatchObject([{ member: "ana", reason: "exit" }]);
  });

  it("publishes nothing for what does not change a count", () => {
    const r = reporter();
    r.feed.record(access("ana"));
    r.counts();
    r.feed.record(access("eve", { decision: "denied", reason: "revoked" }));
    r.feed.record(access("bob", { direction: "out" })); // exit without a session
    r.feed.record({ ...access("ana"), type: "door.opened" });
    r.feed.record(access("zoe", { centre: "libin" })); // another centre's event
    expect(r.counts()).toEqual([]);
  });

  it("counts a second entry while inside once, and again after an anonymous exit", () => {
    const r = reporter();
    r.feed.record(access("ana"));
    r.feed.record(access("bob"));
    // A second tap of ana with no exit in between: the same person, nothing to publish.
    r.feed.record(access("ana"));
    // Someone left by the button (ana or bob); ana's next entry may be her coming back.
    r.feed.record(access("", { type: "door.exit", direction: "out", member: undefined }));
    r.feed.record(access("ana"));
    expect(r.samples.map((s) => [s.inside, s.headcount, s.attributed])).toEqual([
      [1, 1, 1],
      [2, 2, 2],
      [1, 1, 2],
      [2, 2, 2],
    ]);
  });

  it("keeps someone not seen leaving on the live list until closing time, whatever the no-exit policy", () => {
    // The default policy (last seen + 30 min) gives ana's hours an end at 10:30 local, but that
    // is the cloud's billing rule: the board lists her until the centre closes (docs/hours.md,
    // "The gateway and the no-exit policy").
    const r = reporter();
    r.feed.start();
    r.feed.record(access("ana")); // 10:00 local
    vi.advanceTimersByTime(2 * 3_600_000); // 12:00 local
    expect(r.feed.sample()).toMatchObject({ headcount: 1, attributed: 1, members: ["ana"] });
    expect(r.closed).toEqual([]);
    vi.advanceTimersByTime(6 * 3_600_000); // 18:00 local: closing time
    expect(r.feed.sample()).toMatchObject({ headcount: 0, attributed: 0, members: [] });
    expect(r.closed).toMatchObject([
      { member: "ana", reason: "inactivity", closedAt: Date.parse("2026-11-23T09:30:00Z") },
    ]);
    r.feed.stop();
  });

  it("publishes every minute, and closes sessions at the centre's closing time", () => {
    const r = reporter({ noExitPolicy: { kind: "closing-time" } });
    r.feed.start();
    r.feed.record(access("ana"));
    r.counts();
    vi.advanceTimersByTime(60_000);
    vi.advanceTimersByTime(60_000);
    expect(r.counts()).toEqual([1, 1]);
    // 18:00 local is 8 h after t0.
    vi.advanceTimersByTime(8 * 3_600_000 - 120_000);
    expect(r.closed).toMatchObject([
      { member: "ana", reason: "closing-time", closedAt: Date.parse("2026-11-23T17:00:00Z") },
    ]);
    expect(r.counts().at(-1)).toBe(0);
    r.feed.stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(r.counts()).toEqual([]);
  });

  it("never throws into the door path when publishing fails", async () => {
    const rejecting = reporter({ publish: () => Promise.reject(new Error("offline")) });
    expect(() => rejecting.feed.record(access("ana"))).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    const throwing = reporter({
      publish: () => {
        throw new Error("boom");
      },
    });
    expect(() => throwing.feed.record(access("ana"))).not.toThrow();
    expect(() => throwing.feed.tick()).not.toThrow();
  });

  it("counts nobody before the first bundle, then follows the bundle's hours", () => {
    let rules: CentreHours | null = null;
    const r = reporter({ centreRules: () => rules });
    expect(() => r.feed.record(access("ana"))).not.toThrow();
    expect(r.counts()).toEqual([]);
    rules = redu;
    r.feed.record(access("bob"));
    expect(r.counts()).toEqual([1]);
  });

  it("drops an event older than the member's previous one without throwing", () => {
    const r = reporter();
    r.feed.record(access("ana"));
    r.counts();
    const late = access("ana", { direction: "out", time: new Date(t0 - 60_000).toISOString() });
    expect(() => r.feed.record(late)).not.toThrow();
    expect(r.feed.sample().inside).toBe(1);
  });
});
