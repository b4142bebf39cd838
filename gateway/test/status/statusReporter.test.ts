import { decodeMessage, type OnlineStatus } from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { StatusReporter, type StatusSources } from "../../src/status/statusReporter.js";

describe("status reporter", () => {
  let published: OnlineStatus[];
  let depth: number;
  const sources: StatusSources = {
    centre: "redu",
    software: "passerelle-gateway test",
    bundle: () => ({
      version: 7,
      validUntil: Date.parse("2026-03-10T00:00:00Z"),
      issuedAt: Date.parse("2026-03-03T08:30:00Z"),
    }),
    clock: () => ({ trusted: false, lastTrustedTime: Date.parse("2026-03-03T08:00:00Z") }),
    outbox: () => ({ depth, capacity: 1000, full: false, droppedSamples: 0 }),
    readers: () => [{ id: "reader-0", state: "error", error: "reader unplugged" }],
    doors: () => [{ id: "main", lock: "locked", contact: "closed", alarm: null }],
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse("2026-03-03T09:00:00Z") });
    published = [];
    depth = 0;
  });
  afterEach(() => vi.useRealTimers());

  const reporter = () =>
    new StatusReporter(
      sources,
      async (payload) => {
        published.push(decodeMessage("status", payload) as OnlineStatus);
      },
      { now: () => Date.now(), logger: silentLogger, intervalMs: 60_000, minGapMs: 1000 },
    );

  it("publishes a status every peer accepts, with bundle, clock, outbox, readers and doors", () => {
    reporter().publishNow();
    expect(published[0]).toMatchObject({
      state: "online",
      centre: "redu",
      bundleVersion: 7,
      bundleValidUntil: "2026-03-10T00:00:00.000Z",
      bundleIssuedAt: "2026-03-03T08:30:00.000Z",
      clock: { trusted: false, lastTrustedTime: "2026-03-03T08:00:00.000Z" },
      readers: [{ id: "reader-0", state: "error" }],
    });
  });

  it("coalesces a burst of changes and republishes every minute", async () => {
    const r = reporter();
    r.start();
    r.publishNow();
    for (let i = 1; i <= 5; i += 1) {
      depth = i;
      r.changed();
    }
    await vi.advanceTimersByTimeAsync(999);
    expect(published).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(published).toHaveLength(2);
    expect(published[1]?.outbox.depth).toBe(5);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(published).toHaveLength(3);
    r.stop();
  });

  it("survives a publish that fails while offline", async () => {
    const r = new StatusReporter(sources, async () => Promise.reject(new Error("offline")), {
      now: () => Date.now(),
      logger: silentLogger,
    });
    expect(() => r.publishNow()).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
  });
});
