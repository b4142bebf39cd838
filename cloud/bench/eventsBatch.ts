import { encodeMessage, type GatewayEvent } from "@passerelle/protocol";

const base = Date.parse("2026-03-02T07:00:00Z");

/** An encoded `events` message of `count` access events starting at `firstSeq`. */
export function eventsBatch(
  centre: string,
  firstSeq: number,
  count: number,
  gateway: number,
): Buffer {
  const events: GatewayEvent[] = Array.from({ length: count }, (_, i) => {
    const seq = firstSeq + i;
    const at = base + seq * 1000;
    // A valid UUIDv7 built from the time and the gateway, without randomness (stable sizes).
    const hex = at.toString(16).padStart(12, "0");
    const tail = (gateway * 1_000_000_007 + seq).toString(16).padStart(12, "0").slice(-12);
    return {
      id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-${tail}`,
      seq,
      time: new Date(at).toISOString(),
      type: "access",
      centre,
      door: "door-main",
      direction: "in",
      credential: "AAAAAAAAAAAAAAAAAAAAAA",
      member: `m-${seq % 1000}`,
      decision: "granted",
      reason: "pass",
      bundleVersion: 12,
    };
  });
  return encodeMessage("events", { events });
}
