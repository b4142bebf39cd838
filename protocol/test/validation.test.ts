import { describe, expect, it } from "vitest";
import {
  decodeMessage,
  type EventBatch,
  encodeMessage,
  type GatewayEvent,
  limits,
  type OnlineStatus,
  ProtocolError,
  uuidv7,
} from "../src/index.js";

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

function rejection(run: () => unknown): ProtocolError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

function event(seq: number, overrides: Partial<GatewayEvent> = {}): GatewayEvent {
  return {
    id: uuidv7(),
    seq,
    time: "2026-11-23T08:59:30.120Z",
    type: "access",
    centre: "redu",
    door: "door-main",
    direction: "in",
    credential: "AAAAAAAAAAAAAAAAAAAAAA",
    member: "m-1",
    decision: "granted",
    reason: "booking",
    ...overrides,
  };
}

const status: OnlineStatus = {
  state: "online",
  time: "2026-11-23T09:00:00.000Z",
  software: "passerelle-gateway 0.1.0",
  centre: "redu",
  bundleVersion: 12,
  bundleValidUntil: "2026-11-30T09:00:00.000Z",
  clock: { trusted: true, lastTrustedTime: "2026-11-23T09:00:00.000Z" },
  outbox: { depth: 0, capacity: 100_000, full: false, droppedSamples: 0 },
  readers: [{ id: "reader-0", state: "connected" }],
  doors: [{ id: "door-main", lock: "locked", contact: "closed", alarm: null }],
};

describe("payload validation", () => {
  it("accepts a valid message of every kind and round-trips it", () => {
    const batch: EventBatch = { events: [event(1), event(2, { type: "door.opened" })] };
    expect(decodeMessage("events", encodeMessage("events", batch))).toEqual(batch);
    expect(decodeMessage("status", bytes(status))).toEqual(status);
    expect(decodeMessage("status", bytes({ state: "offline" }))).toEqual({ state: "offline" });
    expect(decodeMessage("ack", bytes({ upToSeq: 41 }))).toEqual({ upToSeq: 41 });
    expect(
      decodeMessage("bundleRequest", bytes({ heldVersion: null, reason: "start" })).heldVersion,
    ).toBeNull();
    const sample = {
      time: status.time,
      centre: "redu",
      inside: 3,
      zones: [{ zone: "open-space", inside: 3 }],
    };
    expect(decodeMessage("occupancy", bytes(sample))).toEqual(sample);
  });

  it("rejects wrong types and names the field", () => {
    const error = rejection(() =>
      decodeMessage("events", bytes({ events: [event(1, { seq: "1" as never })] })),
    );
    expect(error.code).toBe("payload.schema");
    expect(error.details.join("\n")).toContain("/events/0/seq");
    expect(rejection(() => decodeMessage("ack", bytes({ upToSeq: -1 }))).code).toBe(
      "payload.schema",
    );
    expect(rejection(() => decodeMessage("ack", bytes({ upToSeq: 1.5 }))).code).toBe(
      "payload.schema",
    );
    expect(rejection(() => decodeMessage("ack", bytes([1]))).code).toBe("payload.schema");
  });

  it("rejects extra and missing fields", () => {
    expect(rejection(() => decodeMessage("ack", bytes({ upToSeq: 1, extra: true }))).code).toBe(
      "payload.schema",
    );
    expect(rejection(() => decodeMessage("ack", bytes({}))).code).toBe("payload.schema");
    const { centre: _centre, ...withoutCentre } = event(1);
    expect(rejection(() => decodeMessage("events", bytes({ events: [withoutCentre] }))).code).toBe(
      "payload.schema",
    );
    expect(
      rejection(() => decodeMessage("status", bytes({ state: "offline", why: "x" }))).code,
    ).toBe("payload.schema");
  });

  it("refuses a raw badge UID where a credential hash belongs", () => {
    const error = rejection(() =>
      decodeMessage("events", bytes({ events: [event(1, { credential: "04A1B2C3D4E5F6" })] })),
    );
    expect(error.details.join()).toContain("/events/0/credential");
  });

  it("rejects oversized arrays and strings", () => {
    const tooMany = {
      events: Array.from({ length: limits.eventsPerBatch + 1 }, (_, i) => event(i + 1)),
    };
    expect(rejection(() => decodeMessage("events", bytes(tooMany))).code).toBe("payload.schema");
    const longDetail = event(1, { detail: "x".repeat(limits.textLength + 1) });
    expect(rejection(() => decodeMessage("events", bytes({ events: [longDetail] }))).code).toBe(
      "payload.schema",
    );
    const longId = event(1, { door: "d".repeat(limits.idLength + 1) });
    expect(rejection(() => decodeMessage("events", bytes({ events: [longId] }))).code).toBe(
      "payload.schema",
    );
    expect(rejection(() => decodeMessage("events", bytes({ events: [] }))).code).toBe(
      "payload.schema",
    );
  });

  it("rejects a payload past the byte limit before parsing it", () => {
    const huge = Buffer.alloc(limits.messageBytes + 1, 0x20);
    expect(rejection(() => decodeMessage("ack", huge)).code).toBe("payload.too-large");
  });

  it("rejects non-UTF-8 and non-JSON", () => {
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"upToSeq":1,"x":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expect(rejection(() => decodeMessage("ack", invalidUtf8)).code).toBe("payload.not-utf8");
    expect(rejection(() => decodeMessage("ack", Buffer.from([0xff, 0xfe]))).code).toBe(
      "payload.not-utf8",
    );
    expect(rejection(() => decodeMessage("ack", Buffer.from("{upToSeq:1}"))).code).toBe(
      "payload.not-json",
    );
    expect(rejection(() => decodeMessage("ack", Buffer.from(""))).code).toBe("payload.not-json");
  });

  it("rejects times without a zone or out of range", () => {
    for (const time of [
      "2026-11-23T09:00:00",
      "2026-11-23T09:00:00+01:00",
      "2026-13-01T00:00:00Z",
      "yesterday",
    ]) {
      expect(
        rejection(() => decodeMessage("events", bytes({ events: [event(1, { time })] }))).code,
        time,
      ).toBe("payload.schema");
    }
  });

  it("refuses to encode what a receiver would refuse", () => {
    expect(rejection(() => encodeMessage("ack", { upToSeq: -5 })).code).toBe("payload.schema");
  });
});
