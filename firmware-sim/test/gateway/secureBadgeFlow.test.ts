import {
  type BadgePresentation,
  buildIndex,
  handleBadge,
  ReadCounterTable,
} from "@passerelle/gateway";
import {
  credentialHash,
  encodeFullBundle,
  generateCredentialSalt,
  ndefFileForUri,
  SunVerifier,
  sunVerificationKeys,
} from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { SimulatedNtag424 } from "../../src/nfc/ntag424Card.js";

const keys = sunVerificationKeys(Buffer.alloc(16, 0x33), 1);
const uidHex = "04C0FFEE123456";
const uid = Buffer.from(uidHex, "hex");
const salt = generateCredentialSalt();
const index = buildIndex(
  encodeFullBundle({
    type: "bundle.full",
    centre: "redu",
    version: 1,
    issuedAt: "2026-03-01T00:00:00.000Z",
    validUntil: "2027-01-01T00:00:00.000Z",
    credentialSalt: salt,
    rules: {
      id: "redu",
      name: "Redu",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6], open: "08:00", close: "18:00" }],
      closedDates: [],
    },
    doors: [{ id: "main", name: "Entrée", direction: "both", zones: [] }],
    credentials: [
      {
        hash: credentialHash(uidHex, salt),
        member: `m-${uidHex}`,
        status: "active",
        doors: ["main"],
        windows: [],
        passes: [],
        staff: true,
        offlineStaff: false,
        secureCard: true,
      },
    ],
  }),
);

function gateway() {
  const counters = new ReadCounterTable();
  const unlocked: string[] = [];
  const tap = (presentation: BadgePresentation) =>
    handleBadge(
      {
        centre: "redu",
        door: { id: "main", direction: "in" },
        currentIndex: () => index,
        clockTrusted: () => true,
        now: () => Date.parse("2026-03-03T09:00:00Z"),
        unlock: (door) => unlocked.push(door),
        record: () => {},
        secureCards: { verifier: new SunVerifier(keys), counters },
      },
      presentation,
    );
  return { tap, unlocked };
}

const withFile = (file: Buffer): BadgePresentation => ({
  readerId: "desk",
  uid,
  at: 0,
  ndefFile: { ok: true, file },
});

describe("badge flow with NTAG 424 DNA SUN cards", () => {
  it("grants a fresh SUN, refuses the same SUN again and an older one, grants the next", () => {
    const { tap, unlocked } = gateway();
    const card = new SimulatedNtag424({ uid, keys });
    const first = ndefFileForUri(card.sunUrl(5));
    const older = ndefFileForUri(card.sunUrl(4));
    expect(tap(withFile(first))).toMatchObject({ decision: "granted", reason: "staff" });
    expect(tap(withFile(first))).toEqual({
      decision: "denied",
      reason: "credential.replayed",
      member: `m-${uidHex}`,
    });
    expect(tap(withFile(older))).toMatchObject({ reason: "credential.replayed" });
    expect(tap(withFile(ndefFileForUri(card.sunUrl(6))))).toMatchObject({ decision: "granted" });
    expect(unlocked).toEqual(["main", "main"]);
  });

  it("refuses a forged SUN, a bare UID of the secure card, and a card removed mid-read", () => {
    const { tap, unlocked } = gateway();
    const forger = new SimulatedNtag424({ uid, keys: sunVerificationKeys(Buffer.alloc(16, 9), 1) });
    expect(tap(withFile(ndefFileForUri(forger.sunUrl(100))))).toMatchObject({
      decision: "denied",
      reason: "credential.invalid-mac",
    });
    expect(tap({ readerId: "desk", uid, at: 0 })).toMatchObject({ reason: "credential.uid-only" });
    expect(
      tap({ readerId: "desk", uid, at: 0, ndefFile: { ok: false, failure: "io" } }),
    ).toMatchObject({ reason: "credential.unreadable" });
    expect(unlocked).toEqual([]);
  });

  it("refuses a genuine SUN relayed by a card with another UID", () => {
    const { tap } = gateway();
    const genuine = new SimulatedNtag424({ uid, keys });
    const relay = {
      ...withFile(ndefFileForUri(genuine.sunUrl(8))),
      uid: Buffer.from("04000000000001", "hex"),
    };
    expect(tap(relay)).toMatchObject({ decision: "denied", reason: "credential.invalid-mac" });
  });
});
