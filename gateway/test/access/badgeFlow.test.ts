import { describe, expect, it } from "vitest";
import { handleBadge } from "../../src/access/badgeFlow.js";
import { bundle, credential, hashOf, indexOf } from "../decision/bundleFixtures.js";

const index = indexOf(
  bundle([
    credential("04A1B2C3", { staff: true }),
    credential("0BADBADB", { status: "revoked", member: "m-bob" }),
  ]),
);

function run(uid: string, withIndex = true, readAt = Date.parse("2026-03-03T08:59:59.960Z")) {
  const calls: string[] = [];
  let clock = Date.parse("2026-03-03T09:00:00Z");
  const events: Record<string, unknown>[] = [];
  const result = handleBadge(
    {
      centre: "redu",
      door: { id: "main", direction: "in" },
      currentIndex: () => (withIndex ? index : null),
      clockTrusted: () => true,
      now: () => clock,
      unlock: (door) => {
        calls.push(`unlock ${door}`);
        clock += 12; // the relay command takes 12 ms
      },
      record: (event) => {
        calls.push("record");
        events.push(event);
      },
    },
    { readerId: "reader-0", uid: Buffer.from(uid, "hex"), at: readAt },
  );
  return { result, calls, events };
}

describe("badge flow", () => {
  it("pulses the lock before recording a granted access", () => {
    const { result, calls, events } = run("04A1B2C3");
    expect(result).toEqual({ decision: "granted", reason: "staff", member: "m-04A1B2C3" });
    expect(calls).toEqual(["unlock main", "record"]);
    expect(events[0]).toMatchObject({
      type: "access",
      door: "main",
      direction: "in",
      credential: hashOf("04A1B2C3"),
      member: "m-04A1B2C3",
      decision: "granted",
      bundleVersion: 3,
    });
  });

  it("reports the card-to-relay latency of a granted access: read 40 ms before, relay 12 ms", () => {
    expect(run("04A1B2C3").events[0]).toMatchObject({ latencyMs: 52 });
    // A denial commands no relay: no latency.
    expect(run("0BADBADB").events[0]).not.toHaveProperty("latencyMs");
    // A wall clock stepped back between the read and the relay gives no figure, not a negative one.
    const stepped = run("04A1B2C3", true, Date.parse("2026-03-03T09:00:05Z"));
    expect(stepped.events[0]).not.toHaveProperty("latencyMs");
  });

  it("records a denial without touching the lock, and never the raw UID", () => {
    const { result, calls, events } = run("0BADBADB");
    expect(result.reason).toBe("revoked");
    expect(calls).toEqual(["record"]);
    expect(JSON.stringify(events)).not.toMatch(/0BADBADB/i);
  });

  it("denies with no-bundle when none is held, without a credential it cannot hash", () => {
    const { result, calls, events } = run("04A1B2C3", false);
    expect(result).toEqual({ decision: "denied", reason: "no-bundle" });
    expect(calls).toEqual(["record"]);
    expect(events[0]).not.toHaveProperty("credential");
  });
});
