import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ChainedEntry, genesisHash, verifyChain } from "@passerelle/protocol";
import type { AuditCheckpoint } from "../audit/auditCheckpoint.js";
import { hashedEntry } from "../audit/auditRecord.js";
import type { AuditLogTable } from "../store/database.js";

export interface ArchiveVerification {
  readonly ok: boolean;
  readonly files: number;
  readonly entries: number;
  /** Where the archived chain ends: the checkpoint the database's chain must start after. */
  readonly endsAt: AuditCheckpoint;
  readonly problem?: string;
}

interface AuditFileHeader {
  readonly archive: string;
  readonly month: string;
  readonly startsAfter: AuditCheckpoint;
}

/**
 * Checks the audit archive files of a directory offline, without the database: each file's
 * entries chain from the entry its header names, and the files chain one to the next, from
 * the zero hash (or from `startsAfter`, when older files are kept elsewhere). The end is what
 * the database's checkpoint must say.
 */
export async function verifyAuditArchive(
  dir: string,
  startsAfter: AuditCheckpoint = { id: 0, hash: genesisHash },
): Promise<ArchiveVerification> {
  const names = (await readdir(dir)).filter((name) => /^audit-\d{4}-\d{2}.*\.ndjson$/.test(name));
  const files = await Promise.all(
    names.map(async (name) => {
      const lines = (await readFile(join(dir, name), "utf8")).split("\n").filter(Boolean);
      const header = JSON.parse(lines[0] ?? "{}") as AuditFileHeader;
      return { name, header, rows: lines.slice(1).map((l) => JSON.parse(l) as AuditLogTable) };
    }),
  );
  files.sort((a, b) => a.header.startsAfter.id - b.header.startsAfter.id);
  let at = startsAfter;
  let entries = 0;
  for (const file of files) {
    if (file.header.archive !== "passerelle-audit") {
      return {
        ok: false,
        files: files.length,
        entries,
        endsAt: at,
        problem: `${file.name}: not an audit archive`,
      };
    }
    if (file.header.startsAfter.id !== at.id || file.header.startsAfter.hash !== at.hash) {
      return {
        ok: false,
        files: files.length,
        entries,
        endsAt: at,
        problem: `${file.name} does not continue from entry ${at.id} (a file is missing or altered)`,
      };
    }
    const chained: ChainedEntry[] = file.rows.map((row, index) => ({
      entry: hashedEntry(row),
      previousHash: row.prev_hash,
      hash: row.hash,
      ...(Number(row.id) !== at.id + 1 + index ? { previousHash: "gap" } : {}),
    }));
    const result = await verifyChain(chained, at.hash);
    if (!result.ok) {
      const row = file.rows[result.brokenAt];
      return {
        ok: false,
        files: files.length,
        entries: entries + result.checked,
        endsAt: at,
        problem: `${file.name}: entry ${row?.id} is broken (${result.why})`,
      };
    }
    entries += file.rows.length;
    const last = file.rows[file.rows.length - 1];
    if (last !== undefined) at = { id: Number(last.id), hash: last.hash };
  }
  return { ok: true, files: files.length, entries, endsAt: at };
}
