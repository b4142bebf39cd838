import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DoorScheduler } from "../../src/doorControl/doorScheduler.js";
import {
  type DoorMachineEvent,
  type DoorMachineOptions,
  DoorStateMachine,
} from "../../src/doorControl/doorStateMachine.js";

const t0 = Date.parse("2026-11-23T08:00:00.000Z");

/** A machine whose relay commands and events are collected; `take()` returns and forgets them. */
function door(options: Partial<DoorMachineOptions> = {}) {
  const locks: boolean[] = [];
  const events: DoorMachineEvent[] = [];
  const machine = new DoorStateMachine({
    setLock: (unlocked) => locks.push(unlocked),
    emit: (event) => events.push(event),
    ...options,
  });
  const take = () => ({
    locks: locks.splice(0),
    events: events
      .splice(0)
      .map((e) => (e.detail === undefined ? e.type : `${e.type}:${e.detail}`)),
  });
  return { machine, take, events };
}

/** A started fail-secure door with a closed contact, history cleared. */
function readyDoor(options: Partial<DoorMachineOptions> = {}) {
  const d = door(options);
  d.machine.start();
  d.machine.contact(false);
  d.take();
  return d;
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(t0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("door state machine: start, stop and lock modes", () => {
  it("starts locked in fail-secure mode, having been locked while unpowered", () => {
    const d = door({ lockMode: "fail-secure" });
    expect(d.machine.state()).toEqual({
      running: false,
      lock: "locked",
      contact: "unknown",
      alarm: null,
    });
    d.machine.start();
    expect(d.take()).toEqual({ locks: [false], events: ["door.locked:start"] });
    expect(d.machine.state().lock).toBe("locked");
  });

  it("starts locked in fail-safe mode too (the lock is powered), from unlocked while unpowered", () => {
    const d = door({ lockMode: "fail-safe" });
    expect(d.machine.state().lock).toBe("unlocked");
    d.machine.start();
    expect(d.take()).toEqual({ locks: [false], events: ["door.locked:start"] });
    expect(d.machine.state().lock).toBe("locked");
  });

  it("stops locked in fail-secure mode, even in the middle of a pulse, and never relocks later", () => {
    const d = readyDoor({ lockMode: "fail-secure" });
    d.machine.grant();
    d.take();
    d.machine.stop();
    expect(d.take()).toEqual({ locks: [false], events: ["door.locked:stop (fail-secure)"] });
    vi.advanceTimersByTime(60_000);
    expect(d.take()).toEqual({ locks: [], events: [] });
    expect(d.machine.state()).toMatchObject({ running: false, lock: "locked" });
  });

  it("stops unlocked in fail-safe mode, without a relock blip first", () => {
    const d = readyDoor({ lockMode: "fail-safe" });
    d.machine.grant();
    d.take();
    d.machine.stop();
    expect(d.take()).toEqual({ locks: [true], events: ["door.unlocked:stop (fail-safe)"] });
    vi.advanceTimersByTime(60_000);
    expect(d.take().locks).toEqual([]);
    expect(d.machine.state().lock).toBe("unlocked");
  });

  it("ignores start twice and stop twice", () => {
    const d = door();
    d.machine.start();
    d.machine.start();
    d.machine.stop();
    d.machine.stop();
    expect(d.take().events).toEqual(["door.locked:start", "door.locked:stop (fail-secure)"]);
  });

  it("fails closed while stopped: no input moves the lock or reports anything", () => {
    const d = door();
    expect(d.machine.grant()).toBe(false);
    expect(d.machine.exitRequest()).toBe(false);
    expect(d.machine.remoteUnlock(5000)).toBe(false);
    d.machine.contact(true);
    expect(d.take()).toEqual({ locks: [], events: [] });
    expect(d.machine.state().contact).toBe("unknown");
  });

  it("reads the contact afresh after a restart", () => {
    const d = readyDoor();
    d.machine.stop();
    d.machine.start();
    d.take();
    expect(d.machine.state().contact).toBe("unknown");
    d.machine.contact(false);
    expect(d.take().events).toEqual(["door.closed:first reading"]);
  });

  it("refuses nonsensical timings", () => {
    expect(() => door({ unlockMs: 0 })).toThrow(RangeError);
    expect(() => door({ heldOpenMs: Number.NaN })).toThrow(RangeError);
  });
});

describe("door state machine: unlock pulses", () => {
  it("commands the relay synchronously inside grant(), then relocks after 5 s", () => {
    const d = readyDoor();
    expect(d.machine.grant()).toBe(true);
    // No timer has run: the command and the event happened inside the call.
    expect(d.take()).toEqual({ locks: [true], events: ["door.unlocked:grant"] });
    expect(d.machine.state().lock).toBe("unlocked");
    vi.advanceTimersByTime(4999);
    expect(d.take()).toEqual({ locks: [], events: [] });
    vi.advanceTimersByTime(1);
    expect(d.take()).toEqual({ locks: [false], events: ["door.locked:pulse-ended"] });
    expect(d.machine.state().lock).toBe("locked");
  });

  it("takes the pulse length from the options", () => {
    const d = readyDoor({ unlockMs: 1200 });
    d.machine.grant();
    vi.advanceTimersByTime(1199);
    expect(d.machine.state().lock).toBe("unlocked");
    vi.advanceTimersByTime(1);
    expect(d.machine.state().lock).toBe("locked");
  });

  it("extends a pulse on a second grant without reporting a second unlock", () => {
    const d = readyDoor();
    d.machine.grant();
    vi.advanceTimersByTime(3000);
    d.machine.grant();
    expect(d.take()).toEqual({ locks: [true, true], events: ["door.unlocked:grant"] });
    vi.advanceTimersByTime(4999);
    expect(d.take().events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(d.take()).toEqual({ locks: [false], events: ["door.locked:pulse-ended"] });
  });

  it("relocks as soon as the door closes after opening during the pulse", () => {
    const d = readyDoor();
    d.machine.grant();
    vi.advanceTimersByTime(1000);
    d.machine.contact(true);
    vi.advanceTimersByTime(1500);
    d.machine.contact(false);
    expect(d.take()).toEqual({
      locks: [true, false],
      events: ["door.unlocked:grant", "door.opened", "door.closed", "door.locked:door-closed"],
    });
    vi.advanceTimersByTime(10_000);
    expect(d.take()).toEqual({ locks: [], events: [] });
  });

  it("relocks at the end of the pulse while the door still stands open, then just reports the close", () => {
    const d = readyDoor();
    d.machine.grant();
    d.machine.contact(true);
    vi.advanceTimersByTime(5000);
    expect(d.take()).toEqual({
      locks: [true, false],
      events: ["door.unlocked:grant", "door.opened", "door.locked:pulse-ended"],
    });
    d.machine.contact(false);
    expect(d.take()).toEqual({ locks: [], events: ["door.closed"] });
  });

  it("unlocks for egress on the exit button and relocks after the same pulse", () => {
    const d = readyDoor();
    expect(d.machine.exitRequest()).toBe(true);
    expect(d.take()).toEqual({
      locks: [true],
      events: ["exit.requested", "door.unlocked:exit-request"],
    });
    vi.advanceTimersByTime(5000);
    expect(d.take()).toEqual({ locks: [false], events: ["door.locked:pulse-ended"] });
  });

  it("unlocks for a remote unlock's own duration, cut to the maximum", () => {
    const d = readyDoor({ maxRemoteUnlockMs: 20_000 });
    expect(d.machine.remoteUnlock(12_000)).toBe(true);
    expect(d.take()).toEqual({
      locks: [true],
      events: ["remote.unlock:12000 ms", "door.unlocked:remote"],
    });
    vi.advanceTimersByTime(11_999);
    expect(d.machine.state().lock).toBe("unlocked");
    vi.advanceTimersByTime(1);
    expect(d.take().events).toEqual(["door.locked:pulse-ended"]);

    d.machine.remoteUnlock(3_600_000);
    expect(d.take().events).toEqual(["remote.unlock:20000 ms", "door.unlocked:remote"]);
    vi.advanceTimersByTime(20_000);
    expect(d.machine.state().lock).toBe("locked");
  });

  it("refuses a remote unlock without a positive duration", () => {
    const d = readyDoor();
    for (const ms of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(d.machine.remoteUnlock(ms)).toBe(false);
    }
    expect(d.take()).toEqual({ locks: [], events: [] });
  });
});

describe("door state machine: contact and alarms", () => {
  it("reports the first contact reading, open or closed, without an alarm", () => {
    const closed = door();
    closed.machine.start();
    closed.take();
    closed.machine.contact(false);
    expect(closed.take().events).toEqual(["door.closed:first reading"]);

    const open = door();
    open.machine.start();
    open.take();
    open.machine.contact(true);
    expect(open.take().events).toEqual(["door.opened:first reading"]);
    expect(open.machine.state().alarm).toBeNull();
  });

  it("watches a door found open at start as held open", () => {
    const d = door();
    d.machine.start();
    d.machine.contact(true);
    d.take();
    vi.advanceTimersByTime(30_000);
    expect(d.take().events).toEqual(["door.held-open:30000 ms"]);
  });

  it("ignores a repeated contact level", () => {
    const d = readyDoor();
    d.machine.contact(false);
    expect(d.take().events).toEqual([]);
  });

  it("raises held-open 30 s after a legitimate opening, and clears it on close", () => {
    const d = readyDoor();
    d.machine.grant();
    d.machine.contact(true);
    d.take();
    vi.advanceTimersByTime(29_999);
    expect(d.take().events).toEqual(["door.locked:pulse-ended"]);
    vi.advanceTimersByTime(1);
    expect(d.take().events).toEqual(["door.held-open:30000 ms"]);
    expect(d.machine.state().alarm).toBe("held-open");
    vi.advanceTimersByTime(60_000);
    expect(d.take().events).toEqual([]);
    d.machine.contact(false);
    expect(d.take()).toEqual({
      locks: [],
      events: ["door.closed", "door.alarm-cleared:held-open"],
    });
    expect(d.machine.state().alarm).toBeNull();
  });

  it("takes the held-open time the bundle sets, and goes back to the default without one", () => {
    const d = readyDoor({ heldOpenMs: 30_000 });
    d.machine.setHeldOpenMs(5000);
    d.machine.grant();
    d.machine.contact(true);
    d.take();
    vi.advanceTimersByTime(5000);
    expect(d.take().events).toContain("door.held-open:5000 ms");
    d.machine.contact(false);
    d.machine.setHeldOpenMs(undefined);
    d.take();
    d.machine.grant();
    d.machine.contact(true);
    vi.advanceTimersByTime(29_999);
    expect(d.take().events).not.toContain("door.held-open:30000 ms");
    vi.advanceTimersByTime(1);
    expect(d.take().events).toEqual(["door.held-open:30000 ms"]);
  });

  it("does not raise held-open when the door closes in time", () => {
    const d = readyDoor({ heldOpenMs: 10_000 });
    d.machine.grant();
    d.machine.contact(true);
    vi.advanceTimersByTime(9_999);
    d.machine.contact(false);
    vi.advanceTimersByTime(60_000);
    expect(d.take().events).not.toContain("door.held-open:10000 ms");
    expect(d.machine.state().alarm).toBeNull();
  });

  it("raises forced-open when the door opens while locked without a request", () => {
    const d = readyDoor();
    d.machine.contact(true);
    expect(d.take()).toEqual({ locks: [], events: ["door.opened", "door.forced-open"] });
    expect(d.machine.state()).toMatchObject({ alarm: "forced-open", lock: "locked" });
    // No held-open on top of a forced-open.
    vi.advanceTimersByTime(60_000);
    expect(d.take().events).toEqual([]);
    d.machine.contact(false);
    expect(d.take().events).toEqual(["door.closed", "door.alarm-cleared:forced-open"]);
  });

  it("takes an opening while locked at a free-egress door for someone leaving: held-open, never forced-open", () => {
    let freeEgress = true;
    const d = readyDoor({ freeEgress: () => freeEgress });
    d.machine.contact(true);
    expect(d.take()).toEqual({ locks: [], events: ["door.opened"] });
    vi.advanceTimersByTime(30_000);
    expect(d.take().events).toEqual(["door.held-open:30000 ms"]);
    d.machine.contact(false);
    expect(d.take().events).toEqual(["door.closed", "door.alarm-cleared:held-open"]);
    // The bundle changed the door's kind: the same opening is forced again.
    freeEgress = false;
    d.machine.contact(true);
    expect(d.take().events).toEqual(["door.opened", "door.forced-open"]);
  });

  it("raises forced-open for an opening after the pulse has ended and the grace has passed", () => {
    const d = readyDoor();
    d.machine.grant();
    vi.advanceTimersByTime(5000 + 500);
    d.take();
    d.machine.contact(true);
    expect(d.take().events).toEqual(["door.opened", "door.forced-open"]);
  });

  it("takes an opening while locked within 2 s of a request as legitimate (no forced-open)", () => {
    const d = readyDoor({ unlockMs: 500 });
    d.machine.exitRequest();
    vi.advanceTimersByTime(2000);
    d.take();
    expect(d.machine.state().lock).toBe("locked");
    d.machine.contact(true);
    expect(d.take().events).toEqual(["door.opened"]);
    vi.advanceTimersByTime(30_000);
    expect(d.take().events).toEqual(["door.held-open:30000 ms"]);
  });

  it("does raise forced-open 2 s and 1 ms after the last request", () => {
    const d = readyDoor({ unlockMs: 500 });
    d.machine.exitRequest();
    vi.advanceTimersByTime(2001);
    d.take();
    d.machine.contact(true);
    expect(d.take().events).toEqual(["door.opened", "door.forced-open"]);
  });

  it("keeps a forced-open alarm through a grant until the door closes, then relocks", () => {
    const d = readyDoor();
    d.machine.contact(true);
    d.machine.grant();
    d.take();
    d.machine.contact(false);
    expect(d.take()).toEqual({
      locks: [false],
      events: ["door.closed", "door.alarm-cleared:forced-open", "door.locked:door-closed"],
    });
  });

  it("stamps events with the scheduler's clock", () => {
    const d = readyDoor();
    vi.advanceTimersByTime(1234);
    d.machine.grant();
    expect(d.events[0]?.at).toBe(t0 + 1234);
  });
});

describe("door state machine: isolation from its callbacks", () => {
  it("keeps its state and never throws when the relay or the event sink throws", () => {
    const errors: unknown[] = [];
    const machine = new DoorStateMachine({
      setLock: () => {
        throw new Error("relay gone");
      },
      emit: () => {
        throw new Error("sink gone");
      },
      onCallbackError: (error) => errors.push(error),
    });
    machine.start();
    expect(() => machine.grant()).not.toThrow();
    expect(machine.state().lock).toBe("unlocked");
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it("runs on a hand-driven scheduler as well as on timers", () => {
    let now = t0;
    const tasks: { at: number; run: () => void }[] = [];
    const scheduler: DoorScheduler = {
      now: () => now,
      after(ms, run) {
        const task = { at: now + ms, run };
        tasks.push(task);
        return () => {
          const index = tasks.indexOf(task);
          if (index >= 0) tasks.splice(index, 1);
        };
      },
    };
    const locks: boolean[] = [];
    const machine = new DoorStateMachine({
      scheduler,
      setLock: (u) => locks.push(u),
      emit: () => {},
    });
    machine.start();
    machine.grant();
    expect(tasks).toHaveLength(1);
    now += 5000;
    tasks.shift()?.run();
    expect(locks).toEqual([false, true, false]);
  });
});
