import { describe, expect, it } from "vitest";
import { decodeClusterMessage, encodeCommitted } from "../../src/cluster/clusterMessages.js";
import type { CommittedEvents } from "../../src/ports/eventSink.js";

const batch = (count: number, inserted = count): CommittedEvents => ({
  gatewayId: "gw-redu",
  centreId: "redu",
  inserted,
  events: Array.from({ length: count }, (_, i) => ({
    id: `0190a000-0000-7000-8000-${String(i).padStart(12, "0")}`,
    seq: i + 1,
    time: "2026-03-02T08:00:00.000Z",
    type: "access" as const,
    centre: "redu",
    door: "door-main",
    decision: "denied" as const,
    reason: "unknown-badge" as const,
  })),
});

describe("cluster notifications", () => {
  it("splits a committed batch into payloads under PostgreSQL's 8 000-byte limit, losing no event", () => {
    const payloads = encodeCommitted(batch(200, 150), "a1");
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    const parts = payloads.map((payload) => decodeClusterMessage(payload));
    const events = parts.flatMap((part) =>
      part?.kind === "events.committed" ? part.batch.events : [],
    );
    expect(events.map((event) => event.seq)).toEqual(batch(200).events.map((event) => event.seq));
    const inserted = parts.reduce(
      (sum, part) => sum + (part?.kind === "events.committed" ? part.batch.inserted : 0),
      0,
    );
    expect(inserted).toBe(150);
    expect(parts.every((part) => part?.origin === "a1")).toBe(true);
  });

  it("reads the other kinds, and refuses what is not one of them", () => {
    expect(
      decodeClusterMessage('{"kind":"accessRules.changed","centreIds":["redu"],"origin":"b2"}'),
    ).toEqual({ kind: "accessRules.changed", centreIds: ["redu"], origin: "b2" });
    expect(decodeClusterMessage('{"kind":"principals.changed","at":5,"origin":"b2"}')).toEqual({
      kind: "principals.changed",
      at: 5,
      origin: "b2",
    });
    for (const bad of [
      "not json",
      "null",
      '{"kind":"accessRules.changed","centreIds":[1],"origin":"b2"}',
      '{"kind":"principals.changed","at":5}',
      '{"kind":"events.committed","batch":{"gatewayId":"g"},"origin":"b2"}',
      '{"kind":"shutdown","origin":"b2"}',
    ]) {
      expect(decodeClusterMessage(bad)).toBeNull();
    }
  });
});
