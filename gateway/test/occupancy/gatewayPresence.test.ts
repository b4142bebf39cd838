import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CentreHours,
  type ClosedSession,
  type ExitKind,
  type GatewayEvent,
  type OccupancySample,
  uuidv7,
} from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PartEvent } from "../../src/core/partTypes.js";
import { ExitCounter } from "../../src/doorControl/exitCounter.js";
import { EventOutbox } from "../../src/eventOutbox/eventOutbox.js";
import { OccupancyReporter } from "../../src/occupancy/occupancyReporter.js";
import { PresenceFeed } from "../../src/occupancy/presenceFeed.js";
import { PresenceJournal } from "../../src/occupancy/presenceJournal.js";
import { capturingLogger } from "../eventOutbox/outboxFixtures.js";

// Monday 23 November 2026, Brussels (UTC+1): 10:00 local, open until 18:00 local (17:00Z).
const t0 = Date.parse("2026-11-23T09:00:00.000Z");
const redu: CentreHours = {
  id: "redu",
  timeZone: "Europe/Brussels",
  openingHours: [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }],
  closedDates: [],
};

let directory: string;
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(t0);
  directory = mkdtempSync(join(tmpdir(), "gw-presence-"));
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(directory, { recursive: true, force: true });
});

/**
 * The gateway's presence as defaultParts assembles it, on a real outbox.db: events are recorded
 * the way the app records them (outbox first, then the presence feed).
 */
function gateway(
  options: { exitKind?: ExitKind; rules?: () => CentreHours | null; hasContact?: boolean } = {},
) {
  const path = join(directory, "outbox.db");
  const { logger, lines } = capturingLogger();
  const outbox = new EventOutbox({ path, logger });
  const journal = new PresenceJournal(path);
  const samples: OccupancySample[] = [];
  const closed: ClosedSession[] = [];
  const record = (event: PartEvent) => {
    const stored = outbox.append({
      time: new Date().toISOString(),
      ...event,
      id: uuidv7(),
      centre: "redu",
    } as Omit<GatewayEvent, "seq">);
    feature.record(stored);
  };
  const exits = new ExitCounter({
    centre: "redu",
    doors: [{ id: "main", hasContact: options.hasContact ?? true }],
    exitKindOf: () => options.exitKind,
    record,
    logger,
  });
  const occupancy = new OccupancyReporter({
    centre: "redu",
    centreRules: options.rules ?? (() => redu),
    doorZones: () => new Map([["main", ["open-space"]]]),
    publish: async (sample) => {
      samples.push(sample);
    },
    onSessionClosed: (session) => closed.push(session),
    journal,
    logger,
  });
  const presence = new PresenceFeed(occupancy, journal);
  // As on the bus: every recorded event goes to the exit counter and to occupancy.
  const feature = {
    record(event: GatewayEvent) {
      exits.record(event);
      presence.record(event);
    },
    stop() {
      exits.stop();
      presence.stop();
    },
  };
  presence.start();
  const enter = (member: string) =>
    record({
      type: "access",
      door: "main",
      direction: "in",
      member,
      decision: "granted",
      reason: "pass",
    });
  const badgeOut = (member: string) =>
    record({
      type: "access",
      door: "main",
      direction: "out",
      member,
      decision: "granted",
      reason: "pass",
    });
  /** Someone leaves: button (exit-button doors), door open 2 s, closed, 1 s later. */
  const leave = (button = true) => {
    if (button) record({ type: "exit.requested", door: "main" });
    vi.advanceTimersByTime(500);
    record({ type: "door.opened", door: "main" });
    vi.advanceTimersByTime(2000);
    record({ type: "door.closed", door: "main" });
    vi.advanceTimersByTime(1000);
  };
  const last = () => samples.at(-1) as OccupancySample;
  const rules = () => lines.filter((line) => line.rule !== undefined).map((line) => line.rule);
  const stop = () => {
    feature.stop();
    outbox.close();
  };
  return {
    outbox,
    journal,
    samples,
    closed,
    lines,
    record,
    enter,
    badgeOut,
    leave,
    last,
    rules,
    stop,
  };
}

const counts = (s: OccupancySample) => [s.headcount, s.attributed, s.members];

describe("gateway presence: exits by door kind", () => {
  it("exit-button: each completed cycle is a door.exit; the last one out closes every session", () => {
    const gw = gateway({ exitKind: "exit-button" });
    gw.enter("ana");
    gw.enter("bob");
    vi.advanceTimersByTime(60_000);
    gw.leave();
    expect(counts(gw.last())).toEqual([1, 2, ["ana", "bob"]]);
    gw.leave();
    expect(counts(gw.last())).toEqual([0, 0, []]);
    expect(gw.closed.map((s) => [s.member, s.reason, s.closedAt])).toEqual([
      ["ana", "last-out", t0 + 60_000 + 2 * 3500 - 900],
      ["bob", "last-out", t0 + 60_000 + 2 * 3500 - 900],
    ]);
    const stored = gw.outbox.nextBatch(100).filter((e) => e.type === "door.exit");
    expect(stored).toMatchObject([
      { door: "main", direction: "out", detail: "exit-button" },
      { door: "main", direction: "out", detail: "exit-button" },
    ]);
    expect(stored.every((e) => e.member === undefined && e.credential === undefined)).toBe(true);
    gw.stop();
  });

  it("an absent exitKind is read as exit-button: an opening without a press counts nobody", () => {
    const gw = gateway();
    gw.enter("ana");
    vi.advanceTimersByTime(60_000);
    gw.leave(false);
    expect(gw.last().headcount).toBe(1);
    gw.leave(true);
    expect(gw.last().headcount).toBe(0);
    gw.stop();
  });

  it("free-egress: a door cycle without a grant is an exit; the entry's own cycle is not", () => {
    const gw = gateway({ exitKind: "free-egress" });
    gw.enter("ana");
    gw.leave(false); // the door opening for ana's grant: her entry
    expect(gw.last().headcount).toBe(1);
    expect(gw.rules()).toContain("cycle-with-grant");
    vi.advanceTimersByTime(60_000);
    gw.leave(false);
    expect(gw.last().headcount).toBe(0);
    gw.stop();
  });

  it("exit-reader: only the exit badge counts; the door cycle that follows it does not", () => {
    const gw = gateway({ exitKind: "exit-reader" });
    gw.enter("ana");
    gw.enter("bob");
    vi.advanceTimersByTime(60_000);
    gw.badgeOut("ana");
    gw.leave();
    expect(counts(gw.last())).toEqual([1, 1, ["bob"]]);
    expect(gw.closed).toMatchObject([{ member: "ana", reason: "exit", confirmed: true }]);
    gw.stop();
  });
});

describe("gateway presence: bad input, each a rule and a log line", () => {
  it("an exit with the headcount at 0 leaves it at 0", () => {
    const gw = gateway({ exitKind: "free-egress" });
    gw.leave(false);
    expect(gw.last().headcount).toBe(0);
    expect(gw.rules()).toEqual(["exit-at-zero"]);
    gw.enter("ana");
    expect(gw.last().headcount).toBe(1);
    gw.stop();
  });

  it("an exit badge of someone not inside moves nothing", () => {
    const gw = gateway({ exitKind: "exit-reader" });
    gw.enter("ana");
    gw.badgeOut("zoe");
    expect(counts(gw.last())).toEqual([1, 1, ["ana"]]);
    expect(gw.rules()).toEqual(["exit-not-inside"]);
    gw.stop();
  });

  it("a press the door never follows, and a door without a contact, count no exit", () => {
    const gw = gateway({ exitKind: "exit-button" });
    gw.enter("ana");
    gw.record({ type: "exit.requested", door: "main" });
    vi.advanceTimersByTime(10_000);
    expect(gw.rules()).toEqual(["button-without-opening"]);
    expect(gw.last().headcount).toBe(1);
    gw.stop();

    const blind = gateway({ exitKind: "exit-button", hasContact: false });
    expect(
      blind.lines.some(
        (line) => line.msg === "door without a contact: its exits cannot be counted",
      ),
    ).toBe(true);
    blind.record({ type: "exit.requested", door: "main" });
    vi.advanceTimersByTime(20_000);
    expect(blind.rules()).toEqual(["no-contact"]);
    blind.stop();
  });

  it("a chattering contact counts one exit", () => {
    const gw = gateway({ exitKind: "free-egress" });
    gw.enter("ana");
    gw.enter("bob");
    vi.advanceTimersByTime(60_000);
    for (const type of ["door.opened", "door.closed", "door.opened", "door.closed"] as const) {
      gw.record({ type, door: "main" });
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(100);
    expect(gw.last().headcount).toBe(1);
    expect(gw.rules()).toEqual(["contact-chatter"]);
    gw.stop();
  });
});

describe("gateway presence across a restart", () => {
  it("restores headcount and attributed members from the journal in outbox.db, not zero", () => {
    const before = gateway({ exitKind: "exit-button" });
    before.enter("ana");
    vi.advanceTimersByTime(10 * 60_000);
    before.enter("bob");
    before.enter("cyd");
    vi.advanceTimersByTime(10 * 60_000);
    before.leave();
    expect(counts(before.last())).toEqual([2, 3, ["ana", "bob", "cyd"]]);
    // The cloud acks everything: the outbox deletes its rows, the journal keeps what presence needs.
    before.outbox.ack(before.outbox.status().depth + 100);
    expect(before.outbox.status().depth).toBe(0);
    before.stop();

    vi.advanceTimersByTime(5 * 60_000);
    const after = gateway({ exitKind: "exit-button" });
    expect(counts(after.last())).toEqual([2, 3, ["ana", "bob", "cyd"]]);
    expect(
      after.lines.find((line) => line.msg === "presence restored from the journal"),
    ).toMatchObject({ headcount: 2, attributed: 3 });
    // The sessions kept their opening times: the last two out close them as they really were.
    after.leave();
    after.leave();
    expect(after.closed.map((s) => [s.member, s.openedAt])).toEqual([
      ["ana", t0],
      ["bob", t0 + 10 * 60_000],
      ["cyd", t0 + 10 * 60_000],
    ]);
    // Empty again: the journal forgets everything before.
    expect(after.journal.count()).toBe(0);
    after.stop();
  });

  it("waits for the bundle's hours to restore, then counts the events recorded meanwhile too", () => {
    const before = gateway();
    before.enter("ana");
    before.stop();
    let rules: CentreHours | null = null;
    const after = gateway({ rules: () => rules });
    expect(after.samples).toEqual([]);
    after.enter("bob"); // before the first bundle: kept, not yet counted
    expect(after.samples).toEqual([]);
    rules = redu;
    after.enter("cyd");
    expect(counts(after.last())).toEqual([3, 3, ["ana", "bob", "cyd"]]);
    after.stop();
  });
});

describe("presence journal", () => {
  it("stays within its bound, dropping the oldest rows", () => {
    const journal = new PresenceJournal(join(directory, "outbox.db"), { maxRows: 3 });
    const event = (seq: number) =>
      ({
        id: `e${seq}`,
        seq,
        time: new Date(t0 + seq).toISOString(),
        type: "door.exit",
        centre: "redu",
      }) as GatewayEvent;
    for (const seq of [1, 2, 3]) expect(journal.append(event(seq))).toBe(0);
    expect(journal.append(event(4))).toBe(1);
    expect(journal.append(event(5))).toBe(1);
    expect(journal.events().map((e) => e.seq)).toEqual([3, 4, 5]);
    journal.trimThrough(4);
    expect(journal.count()).toBe(1);
    journal.close();
  });
});
