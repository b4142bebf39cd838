import { join } from "node:path";
import { genesisHash } from "@passerelle/protocol";
import { type AuditCheckpoint, latestAuditCheckpoint } from "../audit/auditCheckpoint.js";
import type { AuditLogTable } from "../store/database.js";
import type { Executor, Store } from "../store/openStore.js";
import type { ArchivedFile } from "./archiveAccessEvents.js";
import { NdjsonFile } from "./ndjsonFile.js";
import { type UtcMonth, utcMonthOf } from "./retentionRules.js";

const pageSize = 2_000;
const deleteChunk = 5_000;

export interface AuditCut {
  /** Where the chain currently starts: the latest checkpoint, or the genesis. */
  readonly startsAfter: AuditCheckpoint;
  /** The last entry to archive (0 or startsAfter.id: nothing to archive). */
  readonly upToId: number;
}

/**
 * Where to cut the chain for entries dated before `cutoff`: just before the first entry dated
 * at or after it. `at` is not monotonic in id (a door event carries the gateway's time), so an
 * older-dated entry past the cut stays until a later run; the chain is only ever cut whole.
 */
export async function auditCutBefore(db: Executor, cutoff: number): Promise<AuditCut> {
  const startsAfter = (await latestAuditCheckpoint(db)) ?? { id: 0, hash: genesisHash };
  const head = await db
    .selectFrom("audit_chain_head")
    .select("last_id")
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  const firstKept = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.min<number>("id").as("id"))
    .where("at", ">=", cutoff)
    .where("id", ">", startsAfter.id)
    .executeTakeFirst();
  const upToId =
    firstKept?.id === null || firstKept?.id === undefined
      ? Number(head.last_id)
      : Number(firstKept.id) - 1;
  return { startsAfter, upToId: Math.max(upToId, startsAfter.id) };
}

export interface AuditExport {
  readonly files: readonly ArchivedFile[];
  /** The new checkpoint: the last archived entry and its hash. */
  readonly checkpoint: AuditCheckpoint;
}

/**
 * Writes `audit-YYYY-MM.ndjson` files for the entries after the cut's start up to its end, in
 * id order. A file's month is the latest month seen so far in the walk (so files follow each
 * other in id order); its first line names the entry and hash it continues from, so each file
 * verifies on its own and the files chain one to the next (verifyAuditArchive.ts).
 */
export async function exportAuditEntries(
  db: Executor,
  dir: string,
  cut: AuditCut,
): Promise<AuditExport> {
  const files: ArchivedFile[] = [];
  let open: { file: NdjsonFile; month: UtcMonth; name: string; rows: number } | undefined;
  let last: AuditCheckpoint = cut.startsAfter;
  const close = async () => {
    if (open === undefined) return;
    const done = await open.file.finish();
    files.push({
      kind: "audit",
      month: open.month,
      file: open.name,
      rows: open.rows,
      sha256: done.sha256,
    });
    open = undefined;
  };
  try {
    let after = cut.startsAfter.id;
    while (after < cut.upToId) {
      const page: AuditLogTable[] = await db
        .selectFrom("audit_log")
        .selectAll()
        .where("id", ">", after)
        .where("id", "<=", cut.upToId)
        .orderBy("id")
        .limit(pageSize)
        .execute();
      if (page.length === 0) break;
      let batch: AuditLogTable[] = [];
      for (const row of page) {
        const month = utcMonthOf(Number(row.at));
        if (open === undefined || month > open.month) {
          if (open !== undefined) await open.file.write(batch);
          batch = [];
          await close();
          const name = `audit-${month}.ndjson`;
          const file = await NdjsonFile.create(join(dir, name));
          open = { file, month, name, rows: 0 };
          await file.write([{ archive: "passerelle-audit", version: 1, month, startsAfter: last }]);
        }
        batch.push(row);
        open.rows += 1;
        last = { id: Number(row.id), hash: row.hash };
      }
      await open?.file.write(batch);
      after = Number(page[page.length - 1]?.id);
    }
    await close();
  } catch (error) {
    await (open as { file: NdjsonFile } | undefined)?.file.abort();
    throw error;
  }
  return { files, checkpoint: last };
}

/** Deletes the archived entries, up to and including `upToId`, a chunk per transaction. */
export async function deleteAuditEntries(store: Store, upToId: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await store.write(async (trx) => {
      const result = await trx
        .deleteFrom("audit_log")
        .where("id", "in", (eb) =>
          eb
            .selectFrom("audit_log")
            .select("id")
            .where("id", "<=", upToId)
            .orderBy("id")
            .limit(deleteChunk),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
    deleted += count;
    if (count < deleteChunk) return deleted;
  }
}
