import type { AuditLogTable } from "../store/database.js";

/**
 * One CSV field (RFC 4180 §2): enclosed in double quotes, its quotes doubled, when it holds a
 * comma, a double quote, CR or LF. A text cell starting with = + - @ (or tab or CR) is run as
 * a formula by spreadsheets, so it is prefixed with a single quote (OWASP "CSV injection"):
 * an actor or a reason typed as "=HYPERLINK(…)" stays text in the coordinator's Excel.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const columns = [
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
] as const;

/** The header line; CRLF line ends (RFC 4180). */
export const auditCsvHeader = `${columns.join(",")}\r\n`;

/**
 * One entry as a CSV line: every column, `at` as ISO 8601 UTC, the detail as its stored JSON
 * text, and both hashes, so an export can be checked against the chain offline (docs/audit.md).
 */
export function auditCsvLine(row: AuditLogTable): string {
  const cells = [
    Number(row.id),
    new Date(Number(row.at)).toISOString(),
    row.actor,
    row.action,
    row.subject,
    row.centre_id,
    row.member_id,
    row.door_id,
    row.outcome,
    row.detail,
    row.prev_hash,
    row.hash,
  ];
  return `${cells.map(csvField).join(",")}\r\n`;
}
