import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ClockGuard } from "../../src/clockGuard/clockGuard.js";
import { silentLogger } from "../../src/logger.js";

const minute = 60_000;
const t0 = Date.parse("2026-03-03T09:00:00Z");

describe("clock guard", () => {
  let file: string;
  let now: number;
  let changes: boolean[];

  const guard = () =>
    new ClockGuard({
      file,
      toleranceMs: 2 * minute,
      now: () => now,
      logger: silentLogger,
      onChange: (trusted) => changes.push(trusted),
    });

  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), "gw-clock-")), "clock.json");
    now = t0;
    changes = [];
  });

  afterEach(() => vi.useRealTimers());

  it("trusts a clock that moves forward and saves it periodically, never during a decision", () => {
    vi.useFakeTimers();
    const g = guard();
    g.load();
    g.start();
    now += 5 * minute;
    expect(g.isTrusted()).toBe(true);
    expect(() => readFileSync(file, "utf8")).toThrow(); // the decision did no I/O
    vi.advanceTimersByTime(minute);
    expect(JSON.parse(readFileSync(file, "utf8")).lastTrusted).toBe(now);
    now += minute;
    g.isTrusted();
    g.stop();
    expect(JSON.parse(readFileSync(file, "utf8")).lastTrusted).toBe(now);
  });

  it("distrusts a clock that wakes up behind the last trusted time, then trusts it again", () => {
    const g = guard();
    g.load();
    now += 10 * minute;
    g.isTrusted();
    g.persist();
    now = Date.parse("1970-01-01T00:00:10Z"); // a Pi without its RTC after a power cut
    const restarted = guard();
    restarted.load();
    expect(restarted.isTrusted()).toBe(false);
    expect(restarted.status()).toEqual({ trusted: false, lastTrustedTime: t0 + 10 * minute });
    now = t0 + 11 * minute; // NTP set the clock
    expect(restarted.isTrusted()).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it("tolerates a small step back", () => {
    const g = guard();
    g.load();
    now -= 2 * minute;
    expect(g.isTrusted()).toBe(true);
    now -= 1;
    expect(g.isTrusted()).toBe(false);
  });

  it("distrusts a clock behind a time the cloud vouched for", () => {
    const g = guard();
    g.load();
    g.observe(t0 + 60 * minute); // a bundle issued an hour ahead of our clock
    expect(g.isTrusted()).toBe(false);
    now = t0 + 59 * minute;
    expect(g.isTrusted()).toBe(true);
  });

  it("starts from nothing when the saved time is unreadable", () => {
    writeFileSync(file, "garbage");
    const g = guard();
    g.load();
    expect(g.isTrusted()).toBe(true);
  });
});
