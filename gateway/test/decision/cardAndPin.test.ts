import { encodeDeltaBundle, pinHash } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { applyDeltaToIndex } from "../../src/decision/accessIndex.js";
import { decide } from "../../src/decision/decide.js";
import { bundle, credential, hashOf, indexOf, salt } from "./bundleFixtures.js";

const tuesdayMorning = Date.parse("2026-03-03T09:00:00Z");
const pinOf = (uid: string, pin: string) => pinHash(pin, hashOf(uid), salt);

/** Redu with the office a card + PIN door; 0B01 (staff) has PIN 2468, 0B02 (staff) none. */
const index = indexOf(
  bundle(
    [
      credential("0B01", {
        staff: true,
        doors: ["main", "office"],
        pinHash: pinOf("0B01", "2468"),
      }),
      credential("0B02", { staff: true, doors: ["main", "office"] }),
    ],
    {
      doors: [
        { id: "main", name: "Entrée", direction: "both", zones: [] },
        { id: "office", name: "Bureau", direction: "both", zones: [], pinRequired: true },
      ],
    },
  ),
);

function ask(uid: string, doorId: string, pin?: string) {
  return decide(
    {
      credentialHash: hashOf(uid),
      doorId,
      now: tuesdayMorning,
      clockTrusted: true,
      ...(pin === undefined ? {} : { pin }),
    },
    index,
  );
}

describe("card + PIN doors in the access decision", () => {
  it("opens with the card's PIN, refuses a wrong one and a card alone", () => {
    expect(ask("0B01", "office", "2468")).toEqual({
      decision: "granted",
      reason: "staff",
      member: "m-0B01",
    });
    expect(ask("0B01", "office", "2469")).toEqual({
      decision: "denied",
      reason: "credential.pin-wrong",
      member: "m-0B01",
    });
    expect(ask("0B01", "office")).toMatchObject({ reason: "credential.pin-missing" });
    // Malformed entries (too short, letters) are wrong PINs, not crashes.
    expect(ask("0B01", "office", "12")).toMatchObject({ reason: "credential.pin-wrong" });
    expect(ask("0B01", "office", "24a8")).toMatchObject({ reason: "credential.pin-wrong" });
  });

  it("refuses a card that has no PIN at a PIN door, whatever is typed", () => {
    expect(ask("0B02", "office", "2468")).toMatchObject({ reason: "credential.pin-missing" });
    expect(ask("0B02", "main")).toMatchObject({ decision: "granted" });
  });

  it("ignores the keypad at a door without PIN", () => {
    expect(ask("0B01", "main")).toMatchObject({ decision: "granted" });
    expect(ask("0B01", "main", "0000")).toMatchObject({ decision: "granted" });
  });

  it("binds a PIN hash to its card: another card's hash does not open", () => {
    const swapped = indexOf(
      bundle(
        [credential("0B02", { staff: true, doors: ["office"], pinHash: pinOf("0B01", "2468") })],
        {
          doors: [
            { id: "office", name: "Bureau", direction: "both", zones: [], pinRequired: true },
          ],
        },
      ),
    );
    expect(
      decide(
        {
          credentialHash: hashOf("0B02"),
          doorId: "office",
          now: tuesdayMorning,
          clockTrusted: true,
          pin: "2468",
        },
        swapped,
      ),
    ).toMatchObject({ reason: "credential.pin-wrong" });
  });
});

describe("sparse card columns through a delta", () => {
  it("keeps, replaces and drops read-counter floors and PIN hashes with their credentials", () => {
    const full = bundle([
      credential("0C01", { readCounter: 7, pinHash: pinOf("0C01", "1111") }),
      credential("0C02", { readCounter: 3 }),
      credential("0C03", { readCounter: 9 }),
    ]);
    const before = indexOf(full);
    expect(before.readCounterFloors.get(hashOf("0C01"))).toBe(7);
    expect(before.pinHashes.get(hashOf("0C01"))).toBe(pinOf("0C01", "1111"));
    const after = applyDeltaToIndex(
      before,
      encodeDeltaBundle({
        type: "bundle.delta",
        centre: "redu",
        version: 4,
        fromVersion: 3,
        issuedAt: full.issuedAt,
        validUntil: full.validUntil,
        // 0C01 comes back without a PIN and with a higher counter; 0C03 goes.
        upsert: [credential("0C01", { readCounter: 12 })],
        remove: [hashOf("0C03")],
      }),
    );
    expect(after.readCounterFloors.get(hashOf("0C01"))).toBe(12);
    expect(after.pinHashes.has(hashOf("0C01"))).toBe(false);
    expect(after.readCounterFloors.get(hashOf("0C02"))).toBe(3);
    expect(after.readCounterFloors.has(hashOf("0C03"))).toBe(false);
    // Copy on write: the index in force before the delta is untouched.
    expect(before.readCounterFloors.get(hashOf("0C01"))).toBe(7);
  });
});
