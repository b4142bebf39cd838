import { type Static, Type } from "@sinclair/typebox";
import { auditOutcomes } from "../../../audit/auditRecord.js";
import type { AuditLogTable } from "../../../store/database.js";
import { UtcInstant, ZonedInstant } from "../views/instant.js";
import { Page, PageQuery } from "../views/page.js";
import { StringEnum } from "../views/stringEnum.js";

const Id = Type.String({ minLength: 1, maxLength: 64 });

/** The filters of the audit log and of its CSV export. */
export const AuditFilterQuery = {
  centreId: Type.Optional(Id),
  memberId: Type.Optional(Id),
  doorId: Type.Optional(Id),
  outcome: Type.Optional(
    StringEnum(auditOutcomes, "access decisions (granted, denied) and door alarms"),
  ),
  actor: Type.Optional(
    Type.String({
      minLength: 3,
      maxLength: 200,
      description: 'who: "user:<id>", "cli:<name>", "system:<job>" or "gateway:<id>"',
    }),
  ),
  action: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: "^[a-z][a-z0-9.-]*$",
      description: 'what was done: "badge.revoke", "session.correct", "door.forced-open"…',
    }),
  ),
  from: Type.Optional(ZonedInstant),
  to: Type.Optional(ZonedInstant),
};

export const AuditListQuery = Type.Object(
  { ...AuditFilterQuery, ...PageQuery },
  { additionalProperties: false },
);
export const AuditExportQuery = Type.Object(AuditFilterQuery, { additionalProperties: false });

export const AuditEntryView = Type.Object({
  id: Type.Integer({ description: "position in the chain: 1, 2, 3…" }),
  at: UtcInstant,
  actor: Type.String(),
  action: Type.String(),
  subject: Type.String(),
  centreId: Type.Union([Type.String(), Type.Null()]),
  memberId: Type.Union([Type.String(), Type.Null()]),
  doorId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const AuditPageView = Page(AuditEntryView);

export const AuditVerificationView = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: "entries found sound before the first broken one" }),
  lastHash: Type.String({ description: "hash of the last sound entry; keep it elsewhere" }),
  firstBroken: Type.Optional(
    Type.Object({
      id: Type.Integer(),
      reason: StringEnum([
        "hash-mismatch",
        "broken-prev-link",
        "head-mismatch",
        "checkpoint-unvouched",
      ] as const),
    }),
  ),
  startsAfter: Type.Optional(
    Type.Object(
      { id: Type.Integer(), hash: Type.String() },
      { description: "older entries were archived: the walk started after this entry" },
    ),
  ),
});

export type AuditEntryView = Static<typeof AuditEntryView>;
export type AuditPageView = Static<typeof AuditPageView>;
export type AuditVerificationView = Static<typeof AuditVerificationView>;

export function auditEntryView(row: AuditLogTable) {
  return {
    id: Number(row.id),
    at: new Date(Number(row.at)).toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    centreId: row.centre_id,
    memberId: row.member_id,
    doorId: row.door_id,
    outcome: row.outcome,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
