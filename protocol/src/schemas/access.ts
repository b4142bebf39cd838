import { type Static, Type } from "@sinclair/typebox";
import { denyReasons, grantReasons } from "../vocabulary.js";

export const GrantReason = Type.Union(grantReasons.map((r) => Type.Literal(r)));
export const DenyReason = Type.Union(denyReasons.map((r) => Type.Literal(r)));
export const AccessReason = Type.Union([GrantReason, DenyReason]);
export const Decision = Type.Union([Type.Literal("granted"), Type.Literal("denied")]);

export type GrantReason = Static<typeof GrantReason>;
export type DenyReason = Static<typeof DenyReason>;
export type AccessReason = Static<typeof AccessReason>;
export type Decision = Static<typeof Decision>;
