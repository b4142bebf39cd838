import { type Static, Type } from "@sinclair/typebox";

/** Why a door opened. */
export const grantReasons = ["booking", "pass", "staff", "offline-staff", "remote"] as const;

/**
 * Why a door stayed shut: the fixed list of the access engine. The console translates these;
 * never add free text here.
 */
export const denyReasons = [
  "unknown-badge",
  "revoked",
  "outside-window",
  "door-not-allowed",
  "centre-closed",
  "bundle-expired",
  "clock-untrusted",
  "no-bundle",
  /** A SUN card's message is a copy: its read counter is not above the last one seen. */
  "credential.replayed",
  /** A SUN card's MAC does not verify: a clone, a foreign card or a tampered message. */
  "credential.invalid-mac",
  /** Only a UID was presented where a SUN card is required (card, pass or centre setting). */
  "credential.uid-only",
  /** The card left the reader mid-read, or its NDEF file is truncated or oversized. */
  "credential.unreadable",
] as const;

export const GrantReason = Type.Union(grantReasons.map((r) => Type.Literal(r)));
export const DenyReason = Type.Union(denyReasons.map((r) => Type.Literal(r)));
export const AccessReason = Type.Union([GrantReason, DenyReason]);
export const Decision = Type.Union([Type.Literal("granted"), Type.Literal("denied")]);

export type GrantReason = Static<typeof GrantReason>;
export type DenyReason = Static<typeof DenyReason>;
export type AccessReason = Static<typeof AccessReason>;
export type Decision = Static<typeof Decision>;
