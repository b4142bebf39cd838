import { type Static, Type } from "@sinclair/typebox";
import { type Badge, credentialKinds } from "../../../domain/badges.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

/**
 * A badge as the API shows it: never its UID (not even stored) nor its credential hash (what
 * the doors match; no caller needs it, and it would let one badge be tracked across logs).
 */
export const BadgeView = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  label: Type.String(),
  issuedAt: UtcInstant,
  issuedBy: Type.Optional(Type.String()),
  revokedAt: Type.Union([UtcInstant, Type.Null()]),
  revokedBy: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
  uidLast4: Type.Union([Type.String({ description: "the UID's last 4 hex digits" }), Type.Null()]),
  credentialKind: StringEnum(
    credentialKinds,
    "uid: a bare UID card; ntag424-sun: an NTAG 424 DNA card that opens only with a verified SUN",
  ),
  hasPin: Type.Boolean({ description: "a PIN is set for card + PIN doors (never shown)" }),
});
export type BadgeView = Static<typeof BadgeView>;

export function badgeView(badge: Badge, audience: "staff" | "holder") {
  return {
    id: badge.id,
    memberId: badge.memberId,
    label: badge.label,
    issuedAt: badge.issuedAt.toISOString(),
    revokedAt: isoOrNull(badge.revokedAt),
    revokeReason: badge.revokeReason,
    uidLast4: badge.uidLast4,
    credentialKind: badge.credentialKind,
    hasPin: badge.hasPin,
    ...(audience === "staff" ? { issuedBy: badge.issuedBy, revokedBy: badge.revokedBy } : {}),
  };
}
