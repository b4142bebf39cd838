/**
 * One CSV record (RFC 4180 §2): fields separated by commas, CRLF at the end; a field holding a
 * comma, a double quote, CR or LF is enclosed in double quotes, its quotes doubled.
 *
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR, which some strip first) as
 * a formula: a member name "=HYPERLINK(...)" would become a live link in the coordinator's
 * Excel. Such a cell is prefixed with a single quote, the OWASP "CSV injection" advice, so it
 * is shown as typed.
 */
export function csvRecord(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
