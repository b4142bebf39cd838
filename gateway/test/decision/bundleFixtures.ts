import {
  type BundleCredential,
  credentialHash,
  encodeFullBundle,
  type FullBundle,
  generateCredentialSalt,
} from "@passerelle/protocol";
import { type AccessIndex, buildIndex } from "../../src/decision/accessIndex.js";

export const salt = generateCredentialSalt();
export const hashOf = (uid: string) => credentialHash(uid, salt);

export function credential(
  uid: string,
  overrides: Partial<BundleCredential> = {},
): BundleCredential {
  return {
    hash: hashOf(uid),
    member: `m-${uid}`,
    status: "active",
    doors: ["main"],
    windows: [],
    passes: [],
    staff: false,
    offlineStaff: false,
    ...overrides,
  };
}

/** Redu, Europe/Brussels, open Monday–Saturday 08:00–18:00, closed on Christmas Day. */
export function bundle(
  credentials: BundleCredential[],
  overrides: Partial<FullBundle> = {},
): FullBundle {
  return {
    type: "bundle.full",
    centre: "redu",
    version: 3,
    issuedAt: "2026-03-01T00:00:00.000Z",
    validUntil: "2027-01-01T00:00:00.000Z",
    credentialSalt: salt,
    rules: {
      id: "redu",
      name: "Redu",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6], open: "08:00", close: "18:00" }],
      closedDates: ["2026-12-25"],
    },
    doors: [
      { id: "main", name: "Entrée", direction: "both", zones: ["open-space"] },
      { id: "office", name: "Bureau", direction: "both", zones: [] },
    ],
    credentials,
    ...overrides,
  };
}

/** The index of a bundle, through the wire's compact form as the gateway receives it. */
export function indexOf(full: FullBundle): AccessIndex {
  return buildIndex(encodeFullBundle(full));
}
