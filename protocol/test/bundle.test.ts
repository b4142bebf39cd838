import { describe, expect, it } from "vitest";
import {
  applyDelta,
  canonicalJson,
  type DeltaBundle,
  encodeFullBundle,
  limits,
  openBundle,
  ProtocolError,
  signDeltaBundle,
  signDocument,
  signFullBundle,
} from "../src/index.js";
import { credential, fullBundle, makeSigner, t0 } from "./fixtures.js";

const signer = makeSigner();
const options = { trustedKeys: signer.trustedKeys, heldVersion: 6, now: t0, centre: "redu" };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return "accepted";
}

function delta(overrides: Partial<DeltaBundle> = {}): DeltaBundle {
  return {
    type: "bundle.delta",
    centre: "redu",
    fromVersion: 7,
    version: 8,
    issuedAt: "2026-11-23T08:00:00.000Z",
    validUntil: "2026-11-30T08:00:00.000Z",
    upsert: [credential(1, { status: "revoked" }), credential(99)],
    remove: [credential(2).hash],
    ...overrides,
  };
}

describe("signed access bundles", () => {
  it("verifies and opens a signed full bundle", () => {
    const bundle = fullBundle(20);
    expect(openBundle(signFullBundle(bundle, signer.privateKey), options)).toEqual(bundle);
  });

  it("is canonical: the same content gives the same bytes whatever the key order", () => {
    const bundle = fullBundle(3);
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : typeof value === "object" && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverseKeys(v)]),
            )
          : value;
    const reordered = reverseKeys(bundle) as typeof bundle;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(bundle));
    expect(canonicalJson(reordered)).toBe(canonicalJson(bundle));
    expect(signFullBundle(reordered, signer.privateKey)).toEqual(
      signFullBundle(bundle, signer.privateKey),
    );
  });

  it("refuses a flipped bit anywhere in the frame", () => {
    const frame = signFullBundle(fullBundle(5), signer.privateKey);
    const headerEnd = frame.indexOf(0x0a);
    // Every byte of the header and the newline, and a spread of body positions, each bit.
    const positions = [
      ...Array.from({ length: headerEnd + 1 }, (_, i) => i),
      ...Array.from(
        { length: 64 },
        (_, i) => headerEnd + 1 + Math.floor(((frame.length - headerEnd - 2) * i) / 63),
      ),
    ];
    for (const position of positions) {
      for (let bit = 0; bit < 8; bit += 1) {
        const forged = Buffer.from(frame);
        forged[position] = (forged[position] ?? 0) ^ (1 << bit);
        const code = refusal(() => openBundle(forged, options));
        expect(code, `byte ${position} bit ${bit}`).toMatch(/^(signature\.|payload\.)/);
      }
    }
  });

  it("refuses a truncated bundle", () => {
    const frame = signFullBundle(fullBundle(5), signer.privateKey);
    expect(refusal(() => openBundle(frame.subarray(0, frame.length - 1), options))).toBe(
      "signature.invalid",
    );
    expect(refusal(() => openBundle(frame.subarray(0, 40), options))).toBe("signature.malformed");
  });

  it("refuses a bundle signed by another key", () => {
    const other = makeSigner();
    expect(
      refusal(() => openBundle(signFullBundle(fullBundle(2), other.privateKey), options)),
    ).toBe("signature.unknown-key");
    // Another key that claims the trusted key id: the signature itself fails.
    const forged = signFullBundle(fullBundle(2), other.privateKey);
    const text = forged
      .toString("utf8")
      .replace(`"keyId":"${other.keyId}"`, `"keyId":"${signer.keyId}"`);
    expect(refusal(() => openBundle(Buffer.from(text), options))).toBe("signature.invalid");
  });

  it("refuses an older or equal version", () => {
    const frame = signFullBundle(fullBundle(2), signer.privateKey);
    expect(refusal(() => openBundle(frame, { ...options, heldVersion: 7 }))).toBe(
      "bundle.not-newer",
    );
    expect(refusal(() => openBundle(frame, { ...options, heldVersion: 8 }))).toBe(
      "bundle.not-newer",
    );
    expect(refusal(() => openBundle(frame, { ...options, heldVersion: null }))).toBe("accepted");
  });

  it("refuses an expired bundle", () => {
    const frame = signFullBundle(fullBundle(2), signer.privateKey);
    expect(
      refusal(() => openBundle(frame, { ...options, now: Date.parse("2026-11-30T07:00:00.000Z") })),
    ).toBe("bundle.expired");
  });

  it("refuses another centre's bundle", () => {
    const frame = signFullBundle(fullBundle(2, { centre: "arlon" }), signer.privateKey);
    expect(refusal(() => openBundle(frame, options))).toBe("bundle.wrong-centre");
  });

  it("refuses a signed command presented as a bundle", () => {
    const frame = signDocument("command", canonicalJson(fullBundle(1)), signer.privateKey);
    expect(refusal(() => openBundle(frame, options))).toBe("signature.malformed");
  });

  it("refuses a signed body that fails the schema", () => {
    const { credentials: _c, ...incomplete } = fullBundle(1);
    const frame = signDocument("bundle.full", canonicalJson(incomplete), signer.privateKey);
    expect(refusal(() => openBundle(frame, options))).toBe("payload.schema");
  });

  it("applies a delta that starts at the held version", () => {
    const frame = signDeltaBundle(delta(), signer.privateKey);
    const opened = openBundle(frame, { ...options, heldVersion: 7 });
    expect(opened.type).toBe("bundle.delta");
    const next = applyDelta(fullBundle(3), opened as DeltaBundle);
    expect(next.version).toBe(8);
    expect(next.credentials.map((c) => c.member).sort()).toEqual(["m-0", "m-1", "m-99"]);
    expect(next.credentials.find((c) => c.member === "m-1")?.status).toBe("revoked");
  });

  it("refuses a delta that does not start at the held version", () => {
    const frame = signDeltaBundle(delta(), signer.privateKey);
    expect(refusal(() => openBundle(frame, { ...options, heldVersion: 6 }))).toBe(
      "bundle.delta-gap",
    );
    expect(refusal(() => openBundle(frame, { ...options, heldVersion: 8 }))).toBe(
      "bundle.delta-gap",
    );
    expect(refusal(() => openBundle(frame, { ...options, heldVersion: null }))).toBe(
      "bundle.delta-gap",
    );
    expect(refusal(() => applyDelta(fullBundle(1, { version: 5 }), delta()))).toBe(
      "bundle.delta-gap",
    );
    expect(refusal(() => signDeltaBundle(delta({ version: 9 }), signer.privateKey))).toBe(
      "bundle.delta-gap",
    );
  });

  it("refuses more credentials than a bundle may hold", () => {
    const bundle = fullBundle(1);
    const one = bundle.credentials[0];
    if (!one) throw new Error("fixture has a credential");
    const tooMany = {
      ...bundle,
      credentials: new Array(limits.credentialsPerBundle + 1).fill(one),
    };
    expect(refusal(() => signFullBundle(tooMany, signer.privateKey))).toBe("payload.schema");
    // Signed anyway (a cloud bug, not a forger): the receiver's schema refuses it.
    const compact = canonicalJson(encodeFullBundle(tooMany));
    const frame = signDocument("bundle.full", compact, signer.privateKey);
    expect(refusal(() => openBundle(frame, options))).toBe("payload.schema");
  });
});
