import { canonicalJson } from "@passerelle/protocol";
import type { AuditEntry } from "../domain/serviceDeps.js";
import type { AuditLogTable } from "../store/database.js";

/** The columns of an `audit_log` row, in the order they are inserted and exported. */
export const auditColumns = [
  "id",
  "at",
  "actor",
  "action",
  "subject",
  "centre_id",
  "member_id",
  "door_id",
  "outcome",
  "detail",
  "prev_hash",
  "hash",
] as const satisfies readonly (keyof AuditLogTable)[];

/**
 * What one audit row says, before it is chained. Admin changes come from the domain's
 * AuditEntry; access decisions and door alarms from gateway events (gatewayEventAudit.ts).
 */
export interface AuditRecord {
  /** Epoch ms: when the change was made, or when the door event happened (gateway clock). */
  readonly at: number;
  /** "user:…", "cli:…", "system:…", or "gateway:…" for what a door reported. */
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly centreId: string | null;
  readonly memberId: string | null;
  readonly doorId: string | null;
  /** granted | denied for access decisions, alarm | alarm-cleared for door alarms, else null. */
  readonly outcome: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export const auditOutcomes = ["granted", "denied", "alarm", "alarm-cleared"] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/** "member:0193…" → "0193…" when the subject is of that kind. */
function subjectId(subject: string, kind: string): string | null {
  return subject.startsWith(`${kind}:`) ? subject.slice(kind.length + 1) : null;
}

function stringField(detail: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = detail[key];
  return typeof value === "string" ? value : null;
}

/**
 * An admin change as an audit record. The member and door columns (for filtering) are read
 * from the subject ("member:…", "door:…") or from the detail's `member` field, which the
 * services set when a change concerns a member (badge, pass, booking).
 */
export function recordOfChange(entry: AuditEntry, at: number): AuditRecord {
  return {
    at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    centreId: entry.centre ?? null,
    memberId: subjectId(entry.subject, "member") ?? stringField(entry.detail, "member"),
    doorId: subjectId(entry.subject, "door"),
    outcome: null,
    detail: entry.detail,
  };
}

type UnchainedRow = Omit<AuditLogTable, "prev_hash" | "hash">;

export function unchainedRow(id: number, record: AuditRecord): UnchainedRow {
  return {
    id,
    at: record.at,
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    centre_id: record.centreId,
    member_id: record.memberId,
    door_id: record.doorId,
    outcome: record.outcome,
    detail: canonicalJson(record.detail),
  };
}

/**
 * Exactly what the hash covers, rebuilt from a stored row: every column but the hashes, the
 * detail as its stored text. The id is inside, so renumbering or reordering rows breaks links.
 * docs/audit.md spells this out for anyone checking an export with their own tools.
 */
export function hashedEntry(row: UnchainedRow): Record<string, unknown> {
  return {
    v: 1,
    id: Number(row.id),
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    centre: row.centre_id,
    member: row.member_id,
    door: row.door_id,
    outcome: row.outcome,
    detail: row.detail,
  };
}
