import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClockGuard } from "../../src/clockGuard/clockGuard.js";
import { silentLogger } from "../../src/core/logger.js";

const minute = 60_000;
const t0 = Date.parse("2026-03-03T09:00:00Z");

describe("clock guard", () => {
  let file: string;
  /** The wall clock under judgement, and real elapsed time (monotonic), moved separately. */
  let wall: number;
  let elapsed: number;
  let changes: boolean[];

  const guard = () =>
    new ClockGuard({
      file,
      toleranceMs: 2 * minute,
      now: () => wall,
      monotonic: () => elapsed,
      logger: silentLogger,
      onChange: (trusted) => changes.push(trusted),
    });
  /** Real time passes: both clocks move. */
  const pass = (ms: number) => {
    wall += ms;
    elapsed += ms;
  };
  const saved = () => JSON.parse(readFileSync(file, "utf8")).lastTrusted as number;

  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), "gw-clock-")), "clock.json");
    wall = t0;
    elapsed = 0;
    changes = [];
  });
  afterEach(() => vi.useRealTimers());

  it("saves the trusted time periodically, never during a decision", () => {
    vi.useFakeTimers();
    const g = guard();
    g.load();
    g.observe(t0);
    g.start();
    pass(5 * minute);
    expect(g.isTrusted()).toBe(true);
    expect(() => readFileSync(file, "utf8")).toThrow(); // the decision did no I/O
    vi.advanceTimersByTime(minute);
    expect(saved()).toBe(t0 + 5 * minute);
    pass(minute);
    g.stop();
    expect(saved()).toBe(t0 + 6 * minute);
  });

  it("distrusts a clock that wakes up behind the last trusted time, then trusts it again", () => {
    const g = guard();
    g.load();
    g.observe(t0);
    pass(10 * minute);
    g.stop();
    wall = Date.parse("1970-01-01T00:00:10Z"); // a Pi without its RTC after a power cut
    elapsed = 0;
    const restarted = guard();
    restarted.load();
    expect(restarted.isTrusted()).toBe(false);
    expect(restarted.status()).toEqual({ trusted: false, lastTrustedTime: t0 + 10 * minute });
    wall = t0 + 11 * minute; // NTP set the clock
    expect(restarted.isTrusted()).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it("tolerates a small step back", () => {
    const g = guard();
    g.load();
    g.observe(t0);
    wall -= 2 * minute;
    expect(g.isTrusted()).toBe(true);
    wall -= 1;
    expect(g.isTrusted()).toBe(false);
  });

  it("distrusts a clock that falls behind real elapsed time", () => {
    const g = guard();
    g.load();
    g.observe(t0);
    elapsed += 30 * minute; // half an hour really passed, the wall clock did not move
    expect(g.isTrusted()).toBe(false);
  });

  it("is not poisoned by a clock that wrongly jumped forward and was corrected", () => {
    const g = guard();
    g.load();
    g.observe(t0);
    wall = Date.parse("2030-01-01T00:00:00Z");
    expect(g.isTrusted()).toBe(true);
    pass(minute);
    wall = t0 + minute; // corrected
    expect(g.isTrusted()).toBe(true);
    g.stop();
    expect(saved()).toBe(t0 + minute);
  });

  it("distrusts a clock behind a time the cloud vouched for", () => {
    const g = guard();
    g.load();
    g.observe(t0 + 60 * minute); // a bundle issued an hour ahead of our clock
    expect(g.isTrusted()).toBe(false);
    wall = t0 + 59 * minute;
    expect(g.isTrusted()).toBe(true);
  });

  it("trusts any clock until it has a floor, and ignores an unreadable saved time", () => {
    writeFileSync(file, "garbage");
    const g = guard();
    g.load();
    wall = 0;
    expect(g.isTrusted()).toBe(true);
    expect(g.status().lastTrustedTime).toBeNull();
  });
});
