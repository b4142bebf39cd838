import { join } from "node:path";
import { validators } from "@passerelle/protocol";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EventOutbox, type EventOutboxOptions } from "../../src/eventOutbox/eventOutbox.js";
import { OutboxError } from "../../src/eventOutbox/outboxError.js";
import { accessEvent, capturingLogger, tempDir } from "./outboxFixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  vi.useRealTimers();
});

function openOutbox(options: Partial<EventOutboxOptions> = {}, dir?: string) {
  const directory = dir ?? tempDir().dir;
  const path = join(directory, "outbox.db");
  const outbox = new EventOutbox({ path, ...options });
  cleanups.push(() => outbox.close());
  return { outbox, path, dir: directory };
}

const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);

describe("event outbox: seq and batches", () => {
  it("gives strictly increasing seqs from 1 and returns the full event", () => {
    const { outbox } = openOutbox();
    const first = outbox.append(accessEvent(1));
    const second = outbox.append(accessEvent(2));
    expect(first).toMatchObject({ seq: 1, type: "access", member: "m-1" });
    expect(second.seq).toBe(2);
    expect(validators.events.check({ events: [first, second] })).toBe(true);
  });

  it("serves the oldest unacked events in seq order, and deletes only up to the ack", () => {
    const { outbox } = openOutbox();
    const appended = Array.from({ length: 10 }, (_, i) => outbox.append(accessEvent(i + 1)));
    expect(seqs(outbox.nextBatch(4))).toEqual([1, 2, 3, 4]);
    expect(seqs(outbox.nextBatch(4))).toEqual([1, 2, 3, 4]); // nothing moves before the ack
    outbox.ack(3);
    expect(seqs(outbox.nextBatch(4))).toEqual([4, 5, 6, 7]);
    expect(outbox.nextBatch(100)).toEqual(appended.slice(3));
    expect(outbox.status()).toEqual({
      depth: 7,
      capacity: 100_000,
      full: false,
      droppedSamples: 0,
      quarantined: 0,
    });
    outbox.ack(10);
    expect(outbox.nextBatch(10)).toEqual([]);
    expect(outbox.status().depth).toBe(0);
  });

  it("ignores nonsense acks and batch sizes", () => {
    const { outbox } = openOutbox();
    outbox.append(accessEvent(1));
    outbox.ack(Number.NaN);
    outbox.ack(-3);
    outbox.ack(1.5);
    expect(outbox.nextBatch(0)).toEqual([]);
    expect(seqs(outbox.nextBatch(10))).toEqual([1]);
  });

  it("keeps everything across close and reopen, and continues the seq", () => {
    const { outbox, dir } = openOutbox();
    for (let n = 1; n <= 5; n++) outbox.append(accessEvent(n));
    outbox.ack(2);
    outbox.close();
    const reopened = openOutbox({}, dir).outbox;
    expect(seqs(reopened.nextBatch(10))).toEqual([3, 4, 5]);
    expect(reopened.append(accessEvent(6)).seq).toBe(6);
  });

  it("never gives a seq again once its rows are acked and deleted, even after a reopen", () => {
    const { outbox, dir, path } = openOutbox();
    for (let n = 1; n <= 3; n++) outbox.append(accessEvent(n));
    outbox.ack(3);
    outbox.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT count(*) FROM events").pluck().get()).toBe(0);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    const reopened = openOutbox({}, dir).outbox;
    expect(reopened.append(accessEvent(4)).seq).toBe(4);
  });

  it("refuses a bad configuration and a file it cannot open with clear errors", () => {
    expect(() => openOutbox({ capacity: 0 })).toThrow(OutboxError);
    expect(() => new EventOutbox({ path: "/proc/definitely/not/here.db" })).toThrow(
      expect.objectContaining({ code: "open-failed" }),
    );
  });
});

describe("event outbox: bounds", () => {
  it("keeps access and alarm events beyond capacity and says it is full", () => {
    const { outbox } = openOutbox({ capacity: 3 });
    for (let n = 1; n <= 4; n++) outbox.append(accessEvent(n));
    outbox.append(accessEvent(5, "door.forced-open"));
    outbox.append(accessEvent(6, "door.opened"));
    expect(outbox.status()).toEqual({
      depth: 6,
      capacity: 3,
      full: true,
      droppedSamples: 0,
      quarantined: 0,
    });
    expect(outbox.nextBatch(10).map((e) => e.type)).toEqual([
      "access",
      "access",
      "access",
      "access",
      "door.forced-open",
      "door.opened",
    ]);
  });

  it("drops derived presence data at capacity, counts it, and leaves a gap in the seq", () => {
    const { outbox } = openOutbox({ capacity: 2 });
    expect(outbox.append(accessEvent(1, "presence.closed")).seq).toBe(1); // below capacity: kept
    outbox.append(accessEvent(2));
    expect(outbox.append(accessEvent(3, "presence.closed")).seq).toBe(3);
    expect(outbox.append(accessEvent(4)).seq).toBe(4);
    expect(seqs(outbox.nextBatch(10))).toEqual([1, 2, 4]);
    expect(outbox.status()).toMatchObject({ depth: 3, full: true, droppedSamples: 1 });
    outbox.ack(4);
    expect(outbox.status()).toMatchObject({ depth: 0, full: false, droppedSamples: 1 });
  });
});

describe("event outbox: full disk", () => {
  /** An outbox on a "disk" of a few pages, filled until a write fails. */
  function fullOutbox() {
    const { logger, lines } = capturingLogger();
    const { outbox } = openOutbox({ maxPageCount: 8, logger, retryMs: 1000 });
    let n = 0;
    while (outbox.health().lastError === null && n < 10_000) outbox.append(accessEvent(++n));
    return { outbox, lines, appended: n };
  }

  it("keeps the event in memory, reports the error and never throws", () => {
    const { outbox, lines, appended } = fullOutbox();
    expect(appended).toBeGreaterThan(5);
    expect(appended).toBeLessThan(10_000);
    expect(outbox.health()).toMatchObject({ lastError: "SQLITE_FULL", overflow: 1 });
    expect(outbox.status()).toMatchObject({ depth: appended, full: true });
    // The door path goes on: more appends neither throw nor lose anything.
    expect(() => outbox.append(accessEvent(appended + 1))).not.toThrow();
    expect(outbox.health().overflow).toBe(2);
    // Only durable events are sent.
    expect(seqs(outbox.nextBatch(100_000))).toEqual(
      Array.from({ length: appended - 1 }, (_, i) => i + 1),
    );
    const failures = lines.filter((line) => line.code === "SQLITE_FULL");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ module: "gateway:outbox", level: 50 });
  });

  it("writes the overflow, in seq order, as soon as space comes back", () => {
    const { outbox, appended } = fullOutbox();
    outbox.append(accessEvent(appended + 1));
    // The cloud acks what it has: the freed pages take the overflow on the next attempt.
    outbox.ack(appended - 1);
    expect(outbox.retry()).toBe(true);
    expect(outbox.health()).toMatchObject({ lastError: null, overflow: 0 });
    expect(seqs(outbox.nextBatch(100))).toEqual([appended, appended + 1]);
    expect(outbox.status().full).toBe(false);
  });

  it("retries on its own timer", () => {
    vi.useFakeTimers();
    const { outbox, appended } = fullOutbox();
    outbox.ack(appended - 1);
    expect(outbox.health().overflow).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(outbox.health().overflow).toBe(0);
  });

  it("bounds the memory overflow for everything but access and alarm events", () => {
    const { logger } = capturingLogger();
    const { outbox } = openOutbox({ maxPageCount: 8, overflowCapacity: 2, logger });
    let n = 0;
    while (outbox.health().lastError === null) outbox.append(accessEvent(++n));
    outbox.append(accessEvent(++n, "door.opened")); // overflow now 2
    outbox.append(accessEvent(++n, "reader.error")); // dropped
    outbox.append(accessEvent(++n, "door.held-open")); // kept
    outbox.append(accessEvent(++n)); // kept
    expect(outbox.health()).toMatchObject({ overflow: 4, droppedInOverflow: 1 });
  });
});
