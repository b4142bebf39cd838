import { csvRecord, freeText } from "../csv/csvRecord.js";
import type { AuditLogTable } from "../store/database.js";
import { auditColumns } from "./auditRecord.js";

/** The header line; CRLF line ends (RFC 4180). */
export const auditCsvHeader = `${auditColumns.join(",")}\r\n`;

/**
 * One entry as a CSV line: every column, `at` as ISO 8601 UTC, the detail as its stored JSON
 * text, and both hashes (ids and hashes verbatim; only the text columns get the formula guard of
 * csvRecord.ts), so an export can be checked against the chain offline (docs/audit.md).
 */
export function auditCsvLine(row: AuditLogTable): string {
  const cells = [
    Number(row.id),
    new Date(Number(row.at)).toISOString(),
    freeText(row.actor),
    freeText(row.action),
    freeText(row.subject),
    row.centre_id,
    row.member_id,
    row.door_id,
    row.outcome,
    freeText(row.detail),
    row.prev_hash,
    row.hash,
  ];
  return csvRecord(cells);
}
