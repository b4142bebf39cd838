import { Id } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import { languages } from "../../../domain/validation.js";
import type { MembersTable } from "../../../store/database.js";
import { UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

export const Language = StringEnum(languages);

export const MemberView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  homeCentreId: Type.Union([Type.String(), Type.Null()]),
  language: Language,
  createdAt: UtcInstant,
  archivedAt: Type.Union([UtcInstant, Type.Null()]),
});
export type MemberView = Static<typeof MemberView>;

export const MemberParams = Type.Object({ memberId: Id });

/** A member as the domain returns it, or a row of the directory query. */
type MemberLike =
  | {
      id: string;
      name: string;
      email: string;
      homeCentreId: string | null;
      language: string;
      createdAt: Date;
      archivedAt: Date | null;
    }
  | MembersTable;

const iso = (value: Date | number | null) =>
  value === null ? null : new Date(value).toISOString();

export function memberView(member: MemberLike) {
  const row = "home_centre_id" in member;
  return {
    id: member.id,
    name: member.name,
    email: member.email,
    homeCentreId: row ? member.home_centre_id : member.homeCentreId,
    language: member.language as (typeof languages)[number],
    createdAt: iso(row ? member.created_at : member.createdAt) as string,
    archivedAt: iso(row ? member.archived_at : member.archivedAt),
  };
}
