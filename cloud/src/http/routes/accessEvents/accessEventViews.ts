import { denyReasons, eventTypes, grantReasons } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import { csvRecord, freeText } from "../../../csv/csvRecord.js";
import type { AccessEventRow } from "../../../events/accessEventLog.js";
import { UtcInstant, ZonedInstant } from "../views/instant.js";
import { Page, PageQuery } from "../views/page.js";

const Id = Type.String({ minLength: 1, maxLength: 64 });

/** Filters shared by every access-log route; `centreId`/`memberId` are added where allowed. */
const commonFilters = {
  doorId: Type.Optional(Id),
  type: Type.Optional(Type.Union(eventTypes.map((t) => Type.Literal(t)))),
  outcome: Type.Optional(Type.Union([Type.Literal("granted"), Type.Literal("denied")])),
  reason: Type.Optional(
    Type.Union([...grantReasons, ...denyReasons].map((reason) => Type.Literal(reason))),
  ),
  /** Event time at the door, inclusive. */
  from: Type.Optional(ZonedInstant),
  /** Event time at the door, exclusive. */
  to: Type.Optional(ZonedInstant),
};

export const StaffExportQuery = Type.Object(
  { centreId: Type.Optional(Id), memberId: Type.Optional(Id), ...commonFilters },
  { additionalProperties: false },
);
export const StaffListQuery = Type.Object(
  { centreId: Type.Optional(Id), memberId: Type.Optional(Id), ...commonFilters, ...PageQuery },
  { additionalProperties: false },
);
export const MyListQuery = Type.Object(
  { centreId: Type.Optional(Id), ...commonFilters, ...PageQuery },
  { additionalProperties: false },
);

export const AccessEventView = Type.Object({
  id: Type.String(),
  /** When it happened at the door (gateway clock). */
  occurredAt: UtcInstant,
  /** When the cloud stored it (late for events kept in a gateway's outbox during an outage). */
  receivedAt: UtcInstant,
  centreId: Type.String(),
  gatewayId: Type.String(),
  seq: Type.Integer(),
  type: Type.String(),
  doorId: Type.Union([Type.String(), Type.Null()]),
  doorName: Type.Union([Type.String(), Type.Null()], {
    description: "the door's name; null for a door the cloud does not know",
  }),
  direction: Type.Union([Type.Literal("in"), Type.Literal("out"), Type.Null()]),
  memberId: Type.Union([Type.String(), Type.Null()]),
  memberName: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal("granted"), Type.Literal("denied"), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  /** Keyed hash of the badge (never its UID): ties an unknown badge's attempts together. */
  credential: Type.Union([Type.String(), Type.Null()]),
  bundleVersion: Type.Union([Type.Integer(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
});

export const AccessEventPageView = Page(AccessEventView);

export type AccessEventView = Static<typeof AccessEventView>;

export function accessEventView(row: AccessEventRow): AccessEventView {
  return {
    id: row.id,
    occurredAt: new Date(row.time).toISOString(),
    receivedAt: new Date(row.received_at).toISOString(),
    centreId: row.centre_id,
    gatewayId: row.gateway_id,
    seq: row.seq,
    type: row.type,
    doorId: row.door_id,
    doorName: row.door_name,
    direction: row.direction,
    memberId: row.member_id,
    memberName: row.member_name,
    outcome: row.decision,
    reason: row.reason,
    credential: row.credential_hash,
    bundleVersion: row.bundle_version,
    detail: row.detail,
  };
}

const csvColumns = [
  "occurred_at",
  "received_at",
  "centre_id",
  "gateway_id",
  "seq",
  "type",
  "door_id",
  "direction",
  "member_id",
  "member_name",
  "outcome",
  "reason",
  "credential",
  "bundle_version",
  "event_id",
  "detail",
] as const;

export const csvHeader = csvRecord(csvColumns);

export function csvLine(row: AccessEventRow): string {
  return csvRecord([
    new Date(row.time).toISOString(),
    new Date(row.received_at).toISOString(),
    row.centre_id,
    row.gateway_id,
    row.seq,
    row.type,
    row.door_id,
    row.direction,
    row.member_id,
    freeText(row.member_name),
    row.decision,
    row.reason,
    row.credential_hash,
    row.bundle_version,
    row.id,
    freeText(row.detail),
  ]);
}
