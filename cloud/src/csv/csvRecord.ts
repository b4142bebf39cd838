/**
 * One CSV record (RFC 4180 §2): fields separated by commas, CRLF at the end; a field holding a
 * comma, a double quote, CR or LF is enclosed in double quotes, its quotes doubled.
 *
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR, which some strip first) as
 * a formula: a member name "=HYPERLINK(...)" would become a live link in the coordinator's
 * Excel. A free-text cell (`freeText(…)`: names, notes, details people typed) that starts so is
 * prefixed with a single quote, the OWASP "CSV injection" advice, so it is shown as typed.
 * Every other cell — ids, hashes (base64url may start with "-"), times, numbers — is written
 * exactly as the JSON API gives it, so a file can be joined with the API and checked offline.
 */
export function csvRecord(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** A cell of text people typed, the only kind the formula guard rewrites. */
export class FreeText {
  constructor(readonly text: string | null) {}
}

export const freeText = (text: string | null): FreeText => new FreeText(text);

export type CsvValue = string | number | null | FreeText;

export function csvCell(value: CsvValue): string {
  if (value === null) return "";
  let text: string;
  if (value instanceof FreeText) {
    if (value.text === null) return "";
    text = /^[=+\-@\t\r]/.test(value.text) ? `'${value.text}` : value.text;
  } else {
    text = String(value);
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
