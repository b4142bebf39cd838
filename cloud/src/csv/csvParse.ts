/**
 * Reads CSV text (RFC 4180 §2) into records of fields: quoted fields may hold the separator,
 * doubled quotes and line breaks; lines end with CRLF or LF. The separator is "," or ";"
 * (what spreadsheets in French locales write), told by the caller. A quote left open is an
 * error naming the line where its field began.
 */
export interface CsvLine {
  /** 1-based line number of the record's first line in the file. */
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** "," or ";", whichever the first line holds more of outside quotes (a header has several). */
export function guessSeparator(text: string): "," | ";" {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const outside = firstLine.replace(/"[^"]*"/g, "");
  const count = (char: string) => outside.split(char).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

export function parseCsv(input: string, separator: "," | ";" = ","): CsvLine[] {
  // A byte-order mark from a spreadsheet's "CSV UTF-8" export is not part of the first name.
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const records: CsvLine[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    // Blank lines (a trailing newline, an empty row) are not records.
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      if (char === "\n") line += 1;
      field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === "") {
      quoted = true;
      quoteLine = line;
      i += 1;
    } else if (char === separator) {
      fields.push(field);
      field = "";
      i += 1;
    } else if (char === "\r" && text[i + 1] === "\n") {
      i += 1;
    } else if (char === "\n") {
      endRecord();
      line += 1;
      recordLine = line;
      i += 1;
    } else {
      field += char;
      i += 1;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, "a quoted field is never closed");
  endRecord();
  return records;
}
