import { uuidv7 } from "@passerelle/protocol";
import { CsvSyntaxError, guessSeparator, parseCsv } from "../csv/csvParse.js";
import type { MembersTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { commitChange } from "./commitChange.js";
import { DomainError } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { email as checkEmail, type Language, languages } from "./validation.js";

/**
 * Members from a CSV file (docs/console.md "Importing members"): a preview lists each row and
 * each problem by line and column; the import re-checks everything and writes every row in one
 * transaction, or nothing at all when any row is wrong.
 *
 * Columns, by header (English or French, any order): name/nom, email/e-mail/courriel,
 * home_centre/centre (a centre id, optional), language/langue (fr, en, nl, de; default fr).
 */

/** 1 MiB of CSV is ~10 000 members: a bigger file is refused whole, before any parsing. */
export const maxImportBytes = 1024 * 1024;
export const maxImportRows = 5000;

export interface ImportRow {
  readonly line: number;
  readonly name: string;
  readonly email: string;
  readonly homeCentreId: string | null;
  readonly language: Language;
}

export interface ImportProblem {
  /** 1-based line of the file; 0 for the file as a whole. */
  readonly line: number;
  readonly column: string | null;
  readonly message: string;
}

export interface ImportPreview {
  readonly rows: readonly ImportRow[];
  readonly problems: readonly ImportProblem[];
}

const headers: Record<string, "name" | "email" | "home_centre" | "language"> = {
  name: "name",
  nom: "name",
  email: "email",
  "e-mail": "email",
  courriel: "email",
  mail: "email",
  home_centre: "home_centre",
  homecentre: "home_centre",
  centre: "home_centre",
  language: "language",
  langue: "language",
};

/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or CR they strip first) as a formula
 * (OWASP "CSV injection"). Such a cell is refused, not silently rewritten: the person fixes
 * the file and sees what was wrong.
 */
const formulaStart = /^[=+\-@\t\r]/;

function wholeFile(message: string): ImportPreview {
  return { rows: [], problems: [{ line: 0, column: null, message }] };
}

/**
 * Checks a CSV text without writing: the rows it would create and every problem found.
 * `allowedCentres`: the centres the caller manages (undefined: every centre, a coordinator).
 */
export async function previewMemberImport(
  db: Executor,
  csv: string,
  allowedCentres: readonly string[] | undefined,
): Promise<ImportPreview> {
  if (Buffer.byteLength(csv, "utf8") > maxImportBytes)
    return wholeFile(`the file is larger than ${maxImportBytes / 1024 / 1024} MB; split it`);
  let lines: ReturnType<typeof parseCsv>;
  try {
    lines = parseCsv(csv, guessSeparator(csv));
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      return { rows: [], problems: [{ line: error.line, column: null, message: error.message }] };
    throw error;
  }
  const [header, ...records] = lines;
  if (header === undefined) return wholeFile("the file is empty");
  const columns = header.fields.map((f) => headers[f.trim().toLowerCase()] ?? null);
  const missing = (["name", "email"] as const).filter((c) => !columns.includes(c));
  if (missing.length > 0)
    return {
      rows: [],
      problems: [
        {
          line: header.line,
          column: null,
          message: `the first line must name the columns; missing: ${missing.join(", ")}`,
        },
      ],
    };
  if (records.length === 0) return wholeFile("the file has no member lines under its header");
  if (records.length > maxImportRows)
    return wholeFile(`at most ${maxImportRows} members per file; this one has ${records.length}`);

  const centres = new Set(
    (await db.selectFrom("centres").select("id").where("archived_at", "is", null).execute()).map(
      (c) => c.id,
    ),
  );
  const problems: ImportProblem[] = [];
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    const found: ImportProblem[] = [];
    const problem = (column: string | null, message: string) =>
      found.push({ line: record.line, column, message });
    const cell = (name: string) => {
      const index = columns.indexOf(name as (typeof columns)[number]);
      return index < 0 ? "" : (record.fields[index] ?? "").trim();
    };
    if (record.fields.length !== header.fields.length)
      problem(null, `has ${record.fields.length} cells, the header ${header.fields.length}`);
    record.fields.forEach((value, index) => {
      if (formulaStart.test(value))
        problem(
          columns[index] ?? header.fields[index] ?? null,
          `starts with "${value[0] === "\t" ? "tab" : value[0]}": formulas are refused; remove that character`,
        );
    });
    const name = cell("name");
    if (name === "") problem("name", "is empty");
    else if (name.length > 200) problem("name", "is longer than 200 characters");
    let address = "";
    try {
      address = checkEmail("email", cell("email"));
    } catch {
      problem("email", "is not an e-mail address");
    }
    if (address !== "") {
      const earlier = seen.get(address);
      if (earlier !== undefined) problem("email", `is already on line ${earlier}`);
      else seen.set(address, record.line);
    }
    const centre = cell("home_centre") || null;
    if (centre !== null && !centres.has(centre)) problem("home_centre", `no centre "${centre}"`);
    else if (centre !== null && allowedCentres !== undefined && !allowedCentres.includes(centre))
      problem("home_centre", `you do not manage "${centre}"`);
    else if (centre === null && allowedCentres !== undefined)
      problem("home_centre", "a manager's import names one of their centres");
    const language = (cell("language") || "fr").toLowerCase();
    if (!(languages as readonly string[]).includes(language))
      problem("language", `is one of ${languages.join(", ")}`);
    problems.push(...found);
    if (found.length === 0)
      rows.push({
        line: record.line,
        name,
        email: address,
        homeCentreId: centre,
        language: language as Language,
      });
  }
  // Members already registered (one query for the whole file, in chunks the engines accept).
  const addresses = [...seen.keys()];
  for (let i = 0; i < addresses.length; i += 500) {
    const taken = await db
      .selectFrom("members")
      .select("email")
      .where("email", "in", addresses.slice(i, i + 500))
      .execute();
    for (const { email } of taken)
      problems.push({
        line: seen.get(email) ?? 0,
        column: "email",
        message: "a member with this e-mail already exists",
      });
  }
  problems.sort((a, b) => a.line - b.line);
  const bad = new Set(problems.map((p) => p.line));
  return { rows: rows.filter((r) => !bad.has(r.line)), problems };
}

/**
 * Writes the members of a CSV text, all or none: checked again inside the write transaction
 * (a member registered since the preview is a problem, not a half import).
 */
export async function importMembers(
  deps: ServiceDeps,
  actor: Actor,
  csv: string,
  allowedCentres: readonly string[] | undefined,
): Promise<{ created: number }> {
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const preview = await previewMemberImport(trx, csv, allowedCentres);
    if (preview.problems.length > 0)
      throw new DomainError(
        "invalid",
        `the file has ${preview.problems.length} problem(s); nothing was imported`,
        "csv",
        { problems: preview.problems },
      );
    const rows: MembersTable[] = preview.rows.map((row) => ({
      id: uuidv7(now),
      name: row.name,
      email: row.email,
      home_centre_id: row.homeCentreId,
      language: row.language,
      created_at: now,
      archived_at: null,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto("members")
        .values(rows.slice(i, i + 200))
        .execute();
    return {
      result: { created: rows.length },
      audit: [
        ...rows.map((row) => ({
          actor,
          action: "member.create",
          subject: `member:${row.id}`,
          ...(row.home_centre_id === null ? {} : { centre: row.home_centre_id }),
          detail: { via: "csv-import" },
        })),
      ],
    };
  });
}
