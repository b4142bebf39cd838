import type { ExitKind } from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ExitCycleDetector,
  type ExitCycleNote,
  type ExitCycleOptions,
} from "../../src/doorControl/exitCycleDetector.js";

const t0 = Date.parse("2026-11-23T09:00:00.000Z");

function door(kind: ExitKind, over: Partial<ExitCycleOptions> = {}) {
  const exits: { at: number; kind: ExitKind }[] = [];
  const notes: ExitCycleNote[] = [];
  const detector = new ExitCycleDetector({
    exitKind: () => kind,
    hasContact: true,
    scheduler: { now: () => Date.now(), after: (ms, task) => clearer(setTimeout(task, ms)) },
    onExit: (exit) => exits.push(exit),
    onNote: (note) => notes.push(note),
    ...over,
  });
  detector.contact(false, true); // found closed at start
  return { detector, exits, notes };
}
const clearer = (timer: NodeJS.Timeout) => () => clearTimeout(timer);
const wait = (ms: number) => vi.advanceTimersByTime(ms);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(t0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("exit cycles", () => {
  it("exit-button: press, open, close, 100 ms closed → one exit at the confirmation time", () => {
    const d = door("exit-button");
    d.detector.buttonPressed();
    wait(800);
    d.detector.contact(true);
    wait(2000);
    d.detector.contact(false);
    wait(99);
    expect(d.exits).toEqual([]);
    wait(1);
    expect(d.exits).toEqual([{ at: t0 + 2900, kind: "exit-button" }]);
    expect(d.notes).toEqual([]);
  });

  it("exit-button: an opening without a press is not an exit (entry or forced door)", () => {
    const d = door("exit-button");
    d.detector.contact(true);
    wait(1000);
    d.detector.contact(false);
    wait(1000);
    expect(d.exits).toEqual([]);
  });

  it("exit-button: a press the door never follows counts nothing, after 10 s (rule, noted)", () => {
    const d = door("exit-button");
    d.detector.buttonPressed();
    wait(9999);
    expect(d.notes).toEqual([]);
    wait(1);
    expect(d.notes).toEqual([{ kind: "button-without-opening", at: t0 + 10_000 }]);
    // A late opening is no longer that press's cycle.
    d.detector.contact(true);
    d.detector.contact(false);
    wait(200);
    expect(d.exits).toEqual([]);
  });

  it("exit-button: a door without a contact never counts a press (rule, noted)", () => {
    const d = door("exit-button", { hasContact: false });
    d.detector.buttonPressed();
    wait(20_000);
    expect(d.exits).toEqual([]);
    expect(d.notes).toEqual([{ kind: "no-contact", at: t0 }]);
  });

  it("a grant in the cycle makes it an entry, not an exit (rule, noted)", () => {
    const during = door("exit-button");
    during.detector.buttonPressed();
    during.detector.contact(true);
    wait(500);
    during.detector.granted(); // someone badges in while the door is open
    during.detector.contact(false);
    wait(100);
    expect(during.exits).toEqual([]);
    expect(during.notes).toEqual([{ kind: "cycle-with-grant", at: t0 + 600 }]);

    const before = door("free-egress");
    before.detector.granted();
    wait(3000); // within the 5 s unlock pulse: the grant's opening
    before.detector.contact(true);
    before.detector.contact(false);
    wait(100);
    expect(before.exits).toEqual([]);
  });

  it("a grant long before the cycle, or just after it closed, does not cancel the exit", () => {
    const d = door("free-egress");
    d.detector.granted();
    wait(6000);
    d.detector.contact(true);
    wait(1000);
    d.detector.contact(false);
    wait(50);
    d.detector.granted(); // the next person, door closed
    wait(50);
    expect(d.exits).toEqual([{ at: t0 + 7100, kind: "free-egress" }]);
  });

  it("a busy door: an entry's opening takes its grant, the exit right behind it counts", () => {
    const d = door("exit-button");
    d.detector.granted();
    wait(500);
    d.detector.contact(true); // the entry
    wait(1500);
    d.detector.contact(false);
    wait(200);
    d.detector.buttonPressed(); // 2.2 s after the grant, within its pulse
    wait(300);
    d.detector.contact(true);
    wait(1500);
    d.detector.contact(false);
    wait(100);
    expect(d.exits).toEqual([{ at: t0 + 4100, kind: "exit-button" }]);
  });

  it("free-egress: a door cycle with no grant is one exit; a button changes nothing", () => {
    const d = door("free-egress");
    d.detector.contact(true);
    wait(1500);
    d.detector.contact(false);
    wait(100);
    d.detector.buttonPressed();
    wait(20_000);
    expect(d.exits).toEqual([{ at: t0 + 1600, kind: "free-egress" }]);
    expect(d.notes).toEqual([]);
  });

  it("exit-reader: no door cycle is an exit (the exit badge is)", () => {
    const d = door("exit-reader");
    d.detector.buttonPressed();
    d.detector.contact(true);
    d.detector.contact(false);
    wait(1000);
    expect(d.exits).toEqual([]);
  });

  it("counts a chattering contact once (several open/close in 100 ms, rule, noted)", () => {
    const d = door("free-egress");
    // Bounce on opening, a real passage, bounce on closing.
    for (const [level, after] of [
      [true, 0],
      [false, 10],
      [true, 10],
      [false, 2000],
      [true, 20],
      [false, 20],
      [true, 20],
      [false, 20],
    ] as const) {
      wait(after);
      d.detector.contact(level);
    }
    wait(100);
    expect(d.exits).toEqual([{ at: t0 + 2100 + 100, kind: "free-egress" }]);
    expect(d.notes).toEqual([{ kind: "contact-chatter", at: t0 + 2200, transitions: 3 }]);
  });

  it("two people, two cycles: two exits", () => {
    const d = door("exit-button");
    for (let person = 0; person < 2; person++) {
      d.detector.buttonPressed();
      wait(500);
      d.detector.contact(true);
      wait(1500);
      d.detector.contact(false);
      wait(5000);
    }
    expect(d.exits.map((exit) => exit.at)).toEqual([t0 + 2100, t0 + 9100]);
  });

  it("forgets a cycle in progress when stopped", () => {
    const d = door("free-egress");
    d.detector.contact(true);
    d.detector.contact(false);
    d.detector.stop();
    wait(1000);
    expect(d.exits).toEqual([]);
  });
});
