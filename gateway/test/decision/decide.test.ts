import { encodeDeltaBundle } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { applyDeltaToIndex } from "../../src/decision/accessIndex.js";
import { type AccessRequest, decide } from "../../src/decision/decide.js";
import { bundle, credential, hashOf, indexOf } from "./bundleFixtures.js";

const yearPass = {
  from: "2026-01-01T00:00:00.000Z",
  to: "2027-01-01T00:00:00.000Z",
  hours: "opening-hours" as const,
};

const index = indexOf(
  bundle([
    credential("A1", { passes: [yearPass] }),
    credential("B2", { status: "revoked", passes: [yearPass] }),
    credential("C3", {
      windows: [
        { from: "2026-03-03T08:45:00.000Z", to: "2026-03-03T11:15:00.000Z", source: "booking" },
        { from: "2026-03-05T07:00:00.000Z", to: "2026-03-05T17:00:00.000Z", source: "pass" },
      ],
    }),
    credential("D4", { staff: true, doors: ["main", "office"] }),
    credential("E5", { staff: true, offlineStaff: true }),
    credential("F6", {
      passes: [
        {
          from: "2026-01-01T00:00:00.000Z",
          to: "2027-01-01T00:00:00.000Z",
          hours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "22:00", close: "06:00" }],
        },
      ],
    }),
  ]),
);

function ask(uid: string, when: string, overrides: Partial<AccessRequest> = {}) {
  return decide(
    {
      credentialHash: hashOf(uid),
      doorId: "main",
      now: Date.parse(when),
      clockTrusted: true,
      ...overrides,
    },
    index,
  );
}

describe("access decision", () => {
  it("denies without a bundle and an unknown badge", () => {
    expect(
      decide({ credentialHash: hashOf("A1"), doorId: "main", now: 0, clockTrusted: true }, null),
    ).toEqual({
      decision: "denied",
      reason: "no-bundle",
    });
    expect(ask("99", "2026-03-03T09:00:00Z")).toEqual({
      decision: "denied",
      reason: "unknown-badge",
    });
  });

  it("denies a revoked badge even when its pass is valid", () => {
    expect(ask("B2", "2026-03-03T09:00:00Z")).toEqual({
      decision: "denied",
      reason: "revoked",
      member: "m-B2",
    });
  });

  it("denies a door the credential does not open", () => {
    expect(ask("A1", "2026-03-03T09:00:00Z", { doorId: "office" }).reason).toBe("door-not-allowed");
    expect(ask("D4", "2026-03-03T09:00:00Z", { doorId: "office" })).toMatchObject({
      decision: "granted",
      reason: "staff",
    });
  });

  it("opens for a booking within its window (grace included) and not outside it", () => {
    expect(ask("C3", "2026-03-03T08:45:00Z")).toMatchObject({
      decision: "granted",
      reason: "booking",
    });
    expect(ask("C3", "2026-03-03T11:14:59Z").reason).toBe("booking");
    expect(ask("C3", "2026-03-03T08:44:59Z")).toMatchObject({
      decision: "denied",
      reason: "outside-window",
    });
    expect(ask("C3", "2026-03-03T11:15:00Z").reason).toBe("outside-window");
    expect(ask("C3", "2026-03-05T12:00:00Z")).toMatchObject({
      decision: "granted",
      reason: "pass",
    });
  });

  it("orders windows by time whatever their ISO spelling", () => {
    const mixed = indexOf(
      bundle([
        credential("0C0C", {
          windows: [
            { from: "2026-03-03T10:00:00Z", to: "2026-03-03T11:00:00Z", source: "booking" },
            { from: "2026-03-03T10:00:00.500Z", to: "2026-03-03T10:30:00.000Z", source: "booking" },
            { from: "2026-03-03T09:00:00.000Z", to: "2026-03-03T09:30:00Z", source: "booking" },
          ],
        }),
      ]),
    );
    const at = (when: string) =>
      decide(
        {
          credentialHash: hashOf("0C0C"),
          doorId: "main",
          now: Date.parse(when),
          clockTrusted: true,
        },
        mixed,
      ).reason;
    expect(at("2026-03-03T09:10:00Z")).toBe("booking");
    expect(at("2026-03-03T10:45:00Z")).toBe("booking");
    expect(at("2026-03-03T09:45:00Z")).toBe("outside-window");
  });

  it("opens for a pass during opening hours and says centre-closed outside them", () => {
    expect(ask("A1", "2026-03-03T08:00:00Z")).toMatchObject({
      decision: "granted",
      reason: "pass",
    }); // Tue 09:00 CET
    expect(ask("A1", "2026-03-03T06:59:00Z").reason).toBe("centre-closed"); // 07:59 CET
    expect(ask("A1", "2026-03-03T17:00:00Z").reason).toBe("centre-closed"); // 18:00 CET, closed
    expect(ask("A1", "2026-03-08T10:00:00Z").reason).toBe("centre-closed"); // Sunday
    expect(ask("A1", "2026-12-25T10:00:00Z").reason).toBe("centre-closed"); // closed date
    expect(ask("A1", "2027-01-02T10:00:00Z").reason).toBe("bundle-expired");
  });

  it("follows the DST changes in Europe/Brussels", () => {
    // Saturday 2026-03-28 is still CET (+1): 07:30Z is 08:30 local, open.
    expect(ask("A1", "2026-03-28T07:30:00Z").reason).toBe("pass");
    expect(ask("A1", "2026-03-28T06:30:00Z").reason).toBe("centre-closed"); // 07:30 local
    // Monday 2026-03-30 is CEST (+2): 06:30Z is 08:30 local, open; 16:30Z is 18:30, closed.
    expect(ask("A1", "2026-03-30T06:30:00Z").reason).toBe("pass");
    expect(ask("A1", "2026-03-30T16:30:00Z").reason).toBe("centre-closed");
    // Saturday 2026-10-24 is CEST: 06:30Z is 08:30 local; Monday 2026-10-26 is CET: 06:30Z is 07:30.
    expect(ask("A1", "2026-10-24T06:30:00Z").reason).toBe("pass");
    expect(ask("A1", "2026-10-26T06:30:00Z").reason).toBe("centre-closed");
    expect(ask("A1", "2026-10-26T07:00:00Z").reason).toBe("pass");
  });

  it("honours a pass's own hours across midnight", () => {
    expect(ask("F6", "2026-03-03T22:30:00Z").reason).toBe("pass"); // 23:30 local
    expect(ask("F6", "2026-03-04T04:30:00Z").reason).toBe("pass"); // 05:30 local, next day
    expect(ask("F6", "2026-03-04T05:30:00Z").reason).toBe("outside-window"); // 06:30 local
  });

  it("lets staff in at any hour, but not on an expired bundle or an untrusted clock", () => {
    expect(ask("D4", "2026-03-08T03:00:00Z").reason).toBe("staff");
    expect(ask("D4", "2027-02-01T00:00:00Z").reason).toBe("bundle-expired");
    expect(ask("D4", "2026-03-03T09:00:00Z", { clockTrusted: false }).reason).toBe(
      "clock-untrusted",
    );
  });

  it("lets only offline staff in on an expired bundle or an untrusted clock", () => {
    expect(ask("E5", "2027-02-01T00:00:00Z")).toMatchObject({
      decision: "granted",
      reason: "offline-staff",
    });
    expect(ask("E5", "2026-03-03T09:00:00Z", { clockTrusted: false }).reason).toBe("offline-staff");
    expect(ask("A1", "2026-03-03T09:00:00Z", { clockTrusted: false })).toMatchObject({
      decision: "denied",
      reason: "clock-untrusted",
    });
    expect(ask("C3", "2026-03-03T09:00:00Z", { clockTrusted: false }).reason).toBe(
      "clock-untrusted",
    );
  });
});

describe("access index deltas", () => {
  it("produces a new index and leaves the old one as it was", () => {
    const next = applyDeltaToIndex(
      index,
      encodeDeltaBundle({
        type: "bundle.delta",
        centre: "redu",
        fromVersion: 3,
        version: 4,
        issuedAt: "2026-03-03T08:00:00.000Z",
        validUntil: "2027-01-01T00:00:00.000Z",
        upsert: [
          credential("A1", { status: "revoked", passes: [yearPass] }),
          credential("A7", { staff: true }),
        ],
        remove: [hashOf("C3")],
      }),
    );
    const at = Date.parse("2026-03-03T09:00:00Z");
    const request = (uid: string) => ({
      credentialHash: hashOf(uid),
      doorId: "main",
      now: at,
      clockTrusted: true,
    });
    expect(decide(request("A1"), next).reason).toBe("revoked");
    expect(decide(request("A7"), next).reason).toBe("staff");
    expect(decide(request("C3"), next).reason).toBe("unknown-badge");
    expect(next.version).toBe(4);
    // The index decisions in flight may still hold is unchanged.
    expect(decide(request("A1"), index).reason).toBe("pass");
    expect(decide(request("C3"), index).reason).toBe("booking");
    expect(index.version).toBe(3);
  });
});

describe("lockdown", () => {
  const locked = indexOf(
    bundle(
      [
        credential("A1", { passes: [yearPass] }),
        credential("C3", {
          windows: [
            { from: "2026-03-03T08:45:00.000Z", to: "2026-03-03T11:15:00.000Z", source: "booking" },
          ],
        }),
        credential("D4", { staff: true }),
        credential("E5", { staff: true, offlineStaff: true }),
      ],
      {
        rules: {
          id: "redu",
          name: "Redu",
          timeZone: "Europe/Brussels",
          openingHours: [{ days: [1, 2, 3, 4, 5, 6], open: "08:00", close: "18:00" }],
          closedDates: [],
          lockdown: true,
        },
      },
    ),
  );
  const at = (uid: string) =>
    decide(
      {
        credentialHash: hashOf(uid),
        doorId: "main",
        now: Date.parse("2026-03-03T09:00:00Z"),
        clockTrusted: true,
      },
      locked,
    );

  it("refuses a pass and a booking, and still opens for staff", () => {
    expect(at("A1")).toMatchObject({ decision: "denied", reason: "lockdown" });
    expect(at("C3")).toMatchObject({ decision: "denied", reason: "lockdown" });
    expect(at("D4")).toMatchObject({ decision: "granted", reason: "staff" });
    expect(at("E5")).toMatchObject({ decision: "granted", reason: "staff" });
  });

  it("still says unknown-badge for an unknown card (who before what)", () => {
    expect(at("99")).toMatchObject({ decision: "denied", reason: "unknown-badge" });
  });
});
