import type { GatewayEvent } from "@passerelle/protocol";
import { uuidv7 } from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { EventUplink } from "../../src/mqtt/eventUplink.js";

class MemoryOutbox {
  rows: GatewayEvent[] = [];
  append(count: number) {
    for (let i = 0; i < count; i += 1) {
      const seq = (this.rows[this.rows.length - 1]?.seq ?? this.lastAcked) + 1;
      this.rows.push({
        id: uuidv7(),
        seq,
        time: "2026-11-23T09:00:00.000Z",
        type: "door.opened",
        centre: "redu",
      });
    }
  }
  lastAcked = 0;
  nextBatch(max: number) {
    return this.rows.slice(0, max);
  }
  ack(upToSeq: number) {
    this.rows = this.rows.filter((e) => e.seq > upToSeq);
    this.lastAcked = Math.max(this.lastAcked, upToSeq);
  }
}

class FakeLink {
  connected = true;
  sent: number[][] = [];
  failNext = false;
  isConnected() {
    return this.connected;
  }
  async publish(_kind: "events", payload: Buffer) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("socket closed");
    }
    this.sent.push(
      (JSON.parse(payload.toString()) as { events: GatewayEvent[] }).events.map((e) => e.seq),
    );
  }
}

describe("event uplink", () => {
  let outbox: MemoryOutbox;
  let link: FakeLink;
  let uplink: EventUplink;

  beforeEach(() => {
    vi.useFakeTimers();
    outbox = new MemoryOutbox();
    link = new FakeLink();
    uplink = new EventUplink(outbox, link, {
      batchSize: 3,
      ackTimeoutMs: 5000,
      logger: silentLogger,
    });
  });
  afterEach(() => vi.useRealTimers());

  it("keeps one batch in flight and deletes rows only on the application ack", async () => {
    outbox.append(5);
    uplink.pump();
    uplink.pump();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.sent).toEqual([[1, 2, 3]]);
    expect(outbox.rows).toHaveLength(5); // PUBACK alone deletes nothing
    uplink.onAck(3);
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.rows.map((e) => e.seq)).toEqual([4, 5]);
    expect(link.sent).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("re-sends the unacked batch after the ack timeout", async () => {
    outbox.append(2);
    uplink.pump();
    await vi.advanceTimersByTimeAsync(4999);
    expect(link.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(link.sent).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it("sends nothing while offline and resumes from the oldest unacked event on reconnect", async () => {
    outbox.append(4);
    uplink.pump();
    await vi.advanceTimersByTimeAsync(0);
    link.connected = false;
    uplink.onConnectionChange(false);
    outbox.append(2);
    uplink.pump();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(link.sent).toEqual([[1, 2, 3]]);
    link.connected = true;
    uplink.onConnectionChange(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.sent[1]).toEqual([1, 2, 3]);
  });

  it("retries at once when a publish fails", async () => {
    outbox.append(1);
    link.failNext = true;
    uplink.pump();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.sent).toEqual([[1]]);
  });

  it("ignores a stale ack and never deletes unacked rows", async () => {
    outbox.append(3);
    uplink.pump();
    await vi.advanceTimersByTimeAsync(0);
    uplink.onAck(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.rows.map((e) => e.seq)).toEqual([2, 3]);
    expect(link.sent).toHaveLength(1); // batch up to 3 still in flight
  });

  it("never throws into the link when a batch cannot be encoded, and tries again later", async () => {
    outbox.append(2);
    const stored = outbox.rows[0] as GatewayEvent;
    outbox.rows[0] = { ...stored, member: "-" }; // an outbox that failed to set it aside
    expect(() => uplink.onConnectionChange(true)).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(link.sent).toEqual([]);
    outbox.rows[0] = stored;
    await vi.advanceTimersByTimeAsync(5000);
    expect(link.sent).toEqual([[1, 2]]);
  });
});
