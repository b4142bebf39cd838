import { encodeMessage, type GatewayEvent, type OnlineStatus, uuidv7 } from "@passerelle/protocol";

/** Access events with the given seqs, as a gateway of `centre` would report them. */
export function accessEvents(
  centre: string,
  seqs: readonly number[],
  at = Date.parse("2026-03-02T08:00:00Z"),
): GatewayEvent[] {
  return seqs.map((seq) => ({
    id: uuidv7(at + seq),
    seq,
    time: new Date(at + seq * 1000).toISOString(),
    type: "access",
    centre,
    door: "door-main",
    direction: "in",
    credential: "AAAAAAAAAAAAAAAAAAAAAA",
    member: "m-1",
    decision: "granted",
    reason: "pass",
  }));
}

export function eventsPayload(centre: string, seqs: readonly number[]): Buffer {
  return encodeMessage("events", { events: accessEvents(centre, seqs) });
}

export function onlineStatus(centre: string, overrides: Partial<OnlineStatus> = {}): OnlineStatus {
  return {
    state: "online",
    time: "2026-03-02T08:00:00.000Z",
    software: "passerelle-gateway 0.1.0",
    centre,
    bundleVersion: 12,
    bundleValidUntil: "2026-03-09T08:00:00.000Z",
    clock: { trusted: true, lastTrustedTime: "2026-03-02T07:59:00.000Z" },
    outbox: { depth: 3, capacity: 100_000, full: false, droppedSamples: 0 },
    readers: [{ id: "reader-1", state: "connected" }],
    doors: [{ id: "door-main", lock: "locked", contact: "closed", alarm: null }],
    ...overrides,
  };
}
