import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EventBatcher } from "../../src/ingest/eventBatcher.js";
import { ingestMetrics } from "../../src/ingest/ingestMetrics.js";
import type { GatewayEventBatch } from "../../src/ports/eventSink.js";
import { accessEvents } from "../mocks/gatewayMessages.js";
import { InMemoryEventSink, silentLogger } from "../mocks/mqttPorts.js";
import { metricValue } from "../mocks/waitFor.js";

const batch = (gatewayId: string, seqs: number[]): GatewayEventBatch => ({
  gatewayId,
  centreId: "redu",
  events: accessEvents("redu", seqs),
});

const seqs = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

let sink: InMemoryEventSink;
let acks: Array<[string, number]>;
let registry: Registry;
let batcher: EventBatcher;
let sizes: number[];

beforeEach(() => {
  vi.useFakeTimers();
  sink = new InMemoryEventSink();
  acks = [];
  sizes = [];
  registry = new Registry();
  const store = sink.storeBatch.bind(sink);
  sink.storeBatch = async (batches) => {
    sizes.push(batches.reduce((n, b) => n + b.events.length, 0));
    return store(batches);
  };
  batcher = new EventBatcher({
    sink,
    ack: async (gatewayId, upToSeq) => {
      acks.push([gatewayId, upToSeq]);
    },
    onCommitted: () => {},
    maxDelayMs: 5,
    maxEvents: 100,
    metrics: ingestMetrics(registry),
    logger: silentLogger,
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("EventBatcher (group commit)", () => {
  it("waits up to maxDelayMs for more messages, then commits them together", async () => {
    batcher.add(batch("gw-a", [1, 2]));
    await vi.advanceTimersByTimeAsync(4);
    batcher.add(batch("gw-b", [1]));
    expect(sink.commits).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.commits).toBe(1);
    expect(sizes).toEqual([3]);
    expect(acks).toEqual([
      ["gw-a", 2],
      ["gw-b", 1],
    ]);
  });

  it("with no delay, commits together what arrived in one event-loop turn", async () => {
    const immediate = new EventBatcher({
      sink,
      ack: async (gatewayId, upToSeq) => {
        acks.push([gatewayId, upToSeq]);
      },
      onCommitted: () => {},
      maxDelayMs: 0,
      maxEvents: 100,
      metrics: ingestMetrics(registry),
      logger: silentLogger,
    });
    immediate.add(batch("gw-a", [1]));
    immediate.add(batch("gw-b", [1, 2]));
    expect(sink.commits).toBe(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes).toEqual([3]);
    immediate.add(batch("gw-a", [2]));
    await immediate.drain();
    expect(sizes).toEqual([3, 1]);
  });

  it("commits at once when maxEvents are waiting", async () => {
    batcher.add(batch("gw-a", seqs(1, 100)));
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.commits).toBe(1);
  });

  it("runs one commit at a time and commits what arrived meanwhile right after", async () => {
    const release = sink.hold();
    batcher.add(batch("gw-a", [1]));
    await vi.advanceTimersByTimeAsync(5); // first commit starts, held open
    batcher.add(batch("gw-a", [2]));
    batcher.add(batch("gw-b", [1]));
    await vi.advanceTimersByTimeAsync(50);
    expect(sink.commits).toBe(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes).toEqual([1, 2]);
    expect(acks).toEqual([
      ["gw-a", 1],
      ["gw-a", 2],
      ["gw-b", 1],
    ]);
  });

  it("takes whole messages up to about maxEvents per transaction", async () => {
    const release = sink.hold();
    batcher.add(batch("gw-a", [1]));
    await vi.advanceTimersByTimeAsync(5);
    for (let i = 0; i < 5; i += 1) batcher.add(batch(`gw-${i}`, seqs(1, 60)));
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes).toEqual([1, 120, 120, 60]);
  });

  it("drain commits everything before it resolves", async () => {
    batcher.add(batch("gw-a", [1]));
    await batcher.drain();
    expect(sink.rows.size).toBe(1);
    expect(acks).toEqual([["gw-a", 1]]);
  });

  it("counts a batch that starts past the last acked seq + 1, and still stores and acks it", async () => {
    batcher.add(batch("gw-a", [1, 2]));
    await batcher.drain();
    batcher.add(batch("gw-a", [3, 4]));
    batcher.add(batch("gw-a", [5]));
    await batcher.drain();
    expect(await metricValue(registry, "passerelle_ingest_seq_gaps_total")).toBe(0);
    batcher.add(batch("gw-a", [9]));
    await batcher.drain();
    expect(await metricValue(registry, "passerelle_ingest_seq_gaps_total")).toBe(1);
    expect(acks.at(-1)).toEqual(["gw-a", 9]);
  });
});
