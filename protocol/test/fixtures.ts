import { createPrivateKey, type KeyObject } from "node:crypto";
import {
  type BundleCredential,
  credentialHash,
  type FullBundle,
  generateCredentialSalt,
  generateSigningKeyPair,
  type TrustedKeys,
  trustedKeysFromPem,
} from "../src/index.js";

export interface TestSigner {
  privateKey: KeyObject;
  trustedKeys: TrustedKeys;
  keyId: string;
}

export function makeSigner(): TestSigner {
  const pair = generateSigningKeyPair();
  return {
    privateKey: createPrivateKey(pair.privateKeyPem),
    trustedKeys: trustedKeysFromPem([pair.publicKeyPem]),
    keyId: pair.keyId,
  };
}

export const salt = generateCredentialSalt();
export const t0 = Date.parse("2026-11-23T08:00:00.000Z");

export function credential(
  index: number,
  overrides: Partial<BundleCredential> = {},
): BundleCredential {
  return {
    hash: credentialHash(index.toString(16).padStart(8, "0"), salt),
    member: `m-${index}`,
    status: "active",
    doors: ["door-main"],
    windows: [
      { from: "2026-11-23T07:45:00.000Z", to: "2026-11-23T17:15:00.000Z", source: "booking" },
    ],
    passes: [],
    staff: false,
    offlineStaff: false,
    ...overrides,
  };
}

export function fullBundle(count: number, overrides: Partial<FullBundle> = {}): FullBundle {
  return {
    type: "bundle.full",
    centre: "redu",
    version: 7,
    issuedAt: "2026-11-23T07:00:00.000Z",
    validUntil: "2026-11-30T07:00:00.000Z",
    credentialSalt: salt,
    rules: {
      id: "redu",
      name: "Redu — village du livre",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }],
      closedDates: ["2026-12-25"],
    },
    doors: [{ id: "door-main", name: "Entrée", direction: "both", zones: ["open-space"] }],
    credentials: Array.from({ length: count }, (_, i) => credential(i)),
    ...overrides,
  };
}
