import { describe, expect, it } from "vitest";
import {
  type CompactFullBundle,
  type CredentialColumns,
  canonicalJson,
  credentialCount,
  type DeltaBundle,
  encodeDeltaBundle,
  encodeFullBundle,
  expandDeltaBundle,
  expandFullBundle,
  limits,
  openCompactBundle,
  ProtocolError,
  signDocument,
  signFullBundle,
} from "../src/index.js";
import { credential, fullBundle, makeSigner, t0 } from "./fixtures.js";

const signer = makeSigner();
const options = { trustedKeys: signer.trustedKeys, heldVersion: 6, now: t0, centre: "redu" };

function refusal(run: () => unknown): { code: string; details: readonly string[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.code, details: error.details };
    throw error;
  }
  return { code: "accepted", details: [] };
}

const pass = {
  from: "2026-11-01T00:00:00.000Z",
  to: "2026-12-01T00:00:00.000Z",
  hours: "opening-hours" as const,
};

function mixedBundle() {
  return fullBundle(0, {
    credentials: [
      credential(1),
      credential(2, { doors: ["door-main", "door-back"], passes: [pass], windows: [] }),
      credential(3, { status: "revoked", doors: [], windows: [] }),
      credential(4, { doors: ["door-main", "door-back"], passes: [pass], staff: true }),
      credential(5, { offlineStaff: true, staff: true, windows: [] }),
    ],
  });
}

/** Signs a compact body as the cloud would, after `tamper` changed it: signed, yet malformed. */
function signedWith(tamper: (columns: CredentialColumns) => void): Buffer {
  const compact = encodeFullBundle(fullBundle(4));
  tamper(compact.credentials);
  return signDocument("bundle.full", canonicalJson(compact), signer.privateKey);
}

describe("compact credential columns", () => {
  it("round-trips a bundle through the columns", () => {
    const bundle = mixedBundle();
    expect(expandFullBundle(encodeFullBundle(bundle))).toEqual(bundle);
    const delta: DeltaBundle = {
      type: "bundle.delta",
      centre: "redu",
      fromVersion: 7,
      version: 8,
      issuedAt: "2026-11-23T08:00:00.000Z",
      validUntil: "2026-11-30T08:00:00.000Z",
      upsert: bundle.credentials.slice(1, 3),
      remove: [credential(8).hash, credential(9).hash],
    };
    expect(expandDeltaBundle(encodeDeltaBundle(delta))).toEqual(delta);
  });

  it("writes each distinct door list and pass list once", () => {
    const { credentials } = encodeFullBundle(mixedBundle());
    expect(credentials.doorLists).toEqual([["door-main"], ["door-main", "door-back"], []]);
    expect(credentials.doorListIndex).toEqual([0, 1, 2, 1, 0]);
    expect(credentials.passLists).toEqual([[], [pass]]);
    expect(credentials.passListIndex).toEqual([0, 1, 0, 1, 0]);
    expect(credentials.flags).toEqual([0, 0, 1, 2, 6]);
    expect(credentials.windowCounts).toEqual([1, 0, 0, 1, 0]);
    expect(credentials.windows).toEqual([
      Date.parse("2026-11-23T07:45:00.000Z"),
      Date.parse("2026-11-23T17:15:00.000Z"),
      1,
      Date.parse("2026-11-23T07:45:00.000Z"),
      Date.parse("2026-11-23T17:15:00.000Z"),
      1,
    ]);
  });

  it("gives the receiver the columns that were signed", () => {
    const bundle = mixedBundle();
    const opened = openCompactBundle(signFullBundle(bundle, signer.privateKey), options);
    expect(opened).toEqual(encodeFullBundle(bundle));
  });

  it("opens a signed bundle of 200 000 credentials, the limit", () => {
    expect(limits.credentialsPerBundle).toBe(200_000);
    const hash = Buffer.alloc(16);
    const hashes: string[] = [];
    for (let i = 0; i < limits.credentialsPerBundle; i += 1) {
      hash.writeUInt32BE(i, 0);
      hashes.push(hash.toString("base64url"));
    }
    const n = hashes.length;
    const compact: CompactFullBundle = {
      ...encodeFullBundle(fullBundle(0)),
      credentials: {
        hashes: hashes.join(""),
        members: hashes.map((_, i) => `m-${i}`).join(","),
        flags: new Array(n).fill(0),
        doorListIndex: new Array(n).fill(0),
        passListIndex: new Array(n).fill(0),
        windowCounts: new Array(n).fill(1),
        windows: hashes.flatMap(() => [t0, t0 + 3_600_000, 1]),
        doorLists: [["door-main"]],
        passLists: [[]],
      },
    };
    const frame = signDocument("bundle.full", canonicalJson(compact), signer.privateKey);
    expect(frame.length).toBeLessThan(limits.bundleBytes);
    const opened = openCompactBundle(frame, options);
    expect(opened.type === "bundle.full" && credentialCount(opened.credentials)).toBe(n);
  });

  it("refuses signed columns that do not agree, naming the field", () => {
    const cases: [string, (c: CredentialColumns) => void, RegExp][] = [
      [
        "a member short",
        (c) => (c.members = c.members.replace(/,[^,]*$/, "")),
        /members: 3 ids for 4/,
      ],
      ["an empty member id", (c) => (c.members = `${c.members},`), /members: id 4 is empty/],
      [
        "a member id of a sign",
        (c) => (c.members = c.members.replace("m-1", "-m1")),
        /members: id 1/,
      ],
      [
        "a member id too long",
        (c) => (c.members = c.members.replace("m-2", "m".repeat(65))),
        /members: id 2/,
      ],
      ["a flag too many", (c) => c.flags.push(0), /flags: 5 entries for 4/],
      ["a cut hash", (c) => (c.hashes = c.hashes.slice(1)), /hashes: length/],
      ["no such door list", (c) => (c.doorListIndex[2] = 1), /doorListIndex\/2/],
      ["no such pass list", (c) => (c.passListIndex[3] = 7), /passListIndex\/3/],
      ["a window count too high", (c) => (c.windowCounts[0] = 2), /windows: 12 numbers for 5/],
      ["a window number missing", (c) => c.windows.pop(), /windows: 11 numbers for 4/],
      ["a window kind that is not one", (c) => (c.windows[5] = 2), /windows\/5: kind 2/],
    ];
    for (const [what, tamper, detail] of cases) {
      const { code, details } = refusal(() => openCompactBundle(signedWith(tamper), options));
      expect(code, what).toBe("payload.schema");
      expect(details.join("\n"), what).toMatch(detail);
    }
  });

  it("refuses signed columns that break the schema", () => {
    const cases: [string, (c: CredentialColumns) => void][] = [
      ["a negative time", (c) => (c.windows[0] = -1)],
      ["a fractional index", (c) => (c.doorListIndex[0] = 0.5)],
      ["an unknown flag bit", (c) => (c.flags[0] = 16)],
      ["a hash with a foreign character", (c) => (c.hashes = `+${c.hashes.slice(1)}`)],
      ["a member that is not an id", (c) => (c.members = c.members.replace("m-0", "m 0"))],
      ["an extra column", (c) => Object.assign(c, { uids: [] })],
      ["a column as an object", (c) => Object.assign(c, { flags: { 0: 0 } })],
    ];
    for (const [what, tamper] of cases) {
      expect(refusal(() => openCompactBundle(signedWith(tamper), options)).code, what).toBe(
        "payload.schema",
      );
    }
  });

  it("refuses a signed delta whose removals are not whole hashes", () => {
    const delta = encodeDeltaBundle({
      type: "bundle.delta",
      centre: "redu",
      fromVersion: 6,
      version: 7,
      issuedAt: "2026-11-23T08:00:00.000Z",
      validUntil: "2026-11-30T08:00:00.000Z",
      upsert: [credential(1)],
      remove: [credential(2).hash],
    });
    const good = signDocument("bundle.delta", canonicalJson(delta), signer.privateKey);
    expect(refusal(() => openCompactBundle(good, options)).code).toBe("accepted");
    const cut = { ...delta, remove: delta.remove.slice(0, 21) };
    const frame = signDocument("bundle.delta", canonicalJson(cut), signer.privateKey);
    const { code, details } = refusal(() => openCompactBundle(frame, options));
    expect(code).toBe("payload.schema");
    expect(details.join()).toMatch(/\/remove: length/);
  });
});
