import { Id } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import { type Pass, passKinds } from "../../../domain/passes.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

export const PassKind = StringEnum(
  passKinds,
  "network: every centre, sold by the network; centre-membership: one centre; day; hour-credits",
);

/** `createdBy`/`revokedBy` (staff user ids) only in staff views, not in a worker's own. */
export const PassView = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  kind: PassKind,
  ownerCentreId: Type.Union([Type.String(), Type.Null()]),
  validCentreId: Type.Union([Type.String(), Type.Null()]),
  validFrom: UtcInstant,
  validTo: UtcInstant,
  creditMinutes: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: UtcInstant,
  createdBy: Type.Optional(Type.String()),
  revokedAt: Type.Union([UtcInstant, Type.Null()]),
  revokedBy: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  revokeReason: Type.Union([Type.String(), Type.Null()]),
});
export type PassView = Static<typeof PassView>;

export const PassParams = Type.Object({ passId: Id });

export function passView(pass: Pass, audience: "staff" | "holder") {
  return {
    id: pass.id,
    memberId: pass.memberId,
    kind: pass.kind,
    ownerCentreId: pass.ownerCentreId,
    validCentreId: pass.validCentreId,
    validFrom: pass.validFrom.toISOString(),
    validTo: pass.validTo.toISOString(),
    creditMinutes: pass.creditMinutes,
    createdAt: pass.createdAt.toISOString(),
    revokedAt: isoOrNull(pass.revokedAt),
    revokeReason: pass.revokeReason,
    ...(audience === "staff" ? { createdBy: pass.createdBy, revokedBy: pass.revokedBy } : {}),
  };
}
