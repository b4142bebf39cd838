import { createPrivateKey } from "node:crypto";
import {
  applyDelta,
  canonicalJson,
  generateSigningKeyPair,
  limits,
  openBundle,
  openCompactBundle,
  signDeltaBundle,
  signFullBundle,
  trustedKeysFromPem,
  validators,
} from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { compileCentreBundle } from "../../src/bundles/compileCentreBundle.js";
import { diffBundles, sameAccessRules } from "../../src/bundles/diffBundles.js";
import { hashOf, now, reduInput, t } from "./centreFixture.js";

const HOUR = 60 * 60 * 1000;
const prev = compileCentreBundle(reduInput(), 7, now);

describe("diffBundles", () => {
  it("upserts what changed, removes what vanished, and leads exactly to the new bundle", () => {
    const input = reduInput();
    const next = compileCentreBundle(
      {
        ...input,
        // m-network's badge revoked now; a new manager badge
        badges: [
          ...input.badges.filter((b) => b.credentialHash !== hashOf("0402")),
          { credentialHash: hashOf("0402"), memberId: "m-network", revokedAt: now + HOUR },
          { credentialHash: hashOf("0501"), memberId: "m-manager", revokedAt: null },
        ],
        // m-day's pass cancelled
        passes: input.passes.filter((p) => p.memberId !== "m-day"),
      },
      8,
      now + HOUR,
    );
    const delta = diffBundles(prev, next);
    expect(delta).not.toBeNull();
    if (!delta) return;
    expect(delta).toMatchObject({
      type: "bundle.delta",
      centre: "redu",
      fromVersion: 7,
      version: 8,
    });
    expect(delta.upsert.map((c) => [c.hash, c.status]).sort()).toEqual(
      [
        [hashOf("0402"), "revoked"],
        [hashOf("0501"), "active"],
      ].sort(),
    );
    expect(delta.remove).toEqual([hashOf("0403")]);
    expect(delta.rules).toBeUndefined();
    expect(delta.doors).toBeUndefined();
    expect(validators.deltaBundle.check(delta)).toBe(true);
    expect(canonicalJson(applyDelta(prev, delta))).toBe(canonicalJson(next));
  });

  it("travels the wire's compact form unchanged, full bundle and delta", () => {
    const pair = generateSigningKeyPair();
    const key = createPrivateKey(pair.privateKeyPem);
    const open = (frame: Buffer, heldVersion: number | null) =>
      openBundle(frame, {
        trustedKeys: trustedKeysFromPem([pair.publicKeyPem]),
        heldVersion,
        centre: "redu",
        now,
      });
    const input = reduInput();
    const next = compileCentreBundle(
      { ...input, passes: input.passes.filter((p) => p.memberId !== "m-day") },
      8,
      now + HOUR,
    );
    const delta = diffBundles(prev, next);
    if (!delta) throw new Error("consecutive versions give a delta");
    expect(prev.credentials.length).toBeGreaterThan(2);
    expect(open(signFullBundle(prev, key), null)).toEqual(prev);
    expect(open(signDeltaBundle(delta, key), 7)).toEqual(delta);
    // What a gateway parses: few door lists for many credentials.
    const compact = openCompactBundle(signFullBundle(prev, key), {
      trustedKeys: trustedKeysFromPem([pair.publicKeyPem]),
      heldVersion: null,
      centre: "redu",
      now,
    });
    if (compact.type !== "bundle.full") throw new Error("a full bundle");
    expect(compact.credentials.doorLists.length).toBeLessThan(prev.credentials.length);
  });

  it("carries rules and doors only when they changed", () => {
    const input = reduInput();
    const next = compileCentreBundle(
      {
        ...input,
        centre: { ...input.centre, closedDates: ["2026-03-04", "2026-03-06"] },
        doors: input.doors.filter((d) => d.id !== "door-room-a"),
      },
      8,
      now,
    );
    const delta = diffBundles(prev, next);
    expect(delta?.rules?.closedDates).toEqual(["2026-03-04", "2026-03-06"]);
    expect(delta?.doors?.map((d) => d.id)).toEqual(["door-main", "door-open"]);
    if (delta) expect(canonicalJson(applyDelta(prev, delta))).toBe(canonicalJson(next));
  });

  it("gives an empty delta that extends valid-until when access did not change", () => {
    const next = compileCentreBundle(reduInput(), 8, now + 60_000);
    expect(sameAccessRules(prev, next)).toBe(true);
    expect(diffBundles(prev, next)).toMatchObject({
      upsert: [],
      remove: [],
      validUntil: "2026-03-09T07:01:00.000Z",
    });
  });

  it("has no delta for versions that are not consecutive, another centre or a new salt", () => {
    expect(diffBundles(prev, compileCentreBundle(reduInput(), 9, now))).toBeNull();
    const input = reduInput();
    expect(
      diffBundles(
        prev,
        compileCentreBundle({ ...input, centre: { ...input.centre, id: "namur" } }, 8, now),
      ),
    ).toBeNull();
    expect(
      diffBundles(
        prev,
        compileCentreBundle(
          { ...input, credentialSalt: "b3RoZXJzYWx0b3RoZXJzYWx0b3RoZXJzYWx0b3Ro" },
          8,
          now,
        ),
      ),
    ).toBeNull();
  });

  it("has no delta when more credentials changed than a delta may carry", () => {
    const many = Array.from({ length: limits.changesPerDelta + 1 }, (_, i) => ({
      credentialHash: hashOf(i.toString(16).padStart(8, "0")),
      memberId: "m-manager",
      revokedAt: null,
    }));
    const next = compileCentreBundle({ ...reduInput(), badges: many }, 8, now);
    expect(diffBundles(prev, next)).toBeNull();
  });
});

describe("sameAccessRules", () => {
  it("ignores the header and sees any change of access", () => {
    const later = compileCentreBundle(reduInput(), 9, now + 5 * 60_000);
    expect(sameAccessRules(prev, later)).toBe(true);
    const input = reduInput();
    const booked = compileCentreBundle(
      {
        ...input,
        bookings: [
          ...input.bookings,
          {
            memberId: "m-network",
            resourceId: "room-a",
            startsAt: t("2026-03-05T09:00:00Z"),
            endsAt: t("2026-03-05T10:00:00Z"),
          },
        ],
      },
      9,
      now,
    );
    expect(sameAccessRules(prev, booked)).toBe(false);
  });
});
