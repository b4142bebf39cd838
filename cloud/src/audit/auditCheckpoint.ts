import type { Executor } from "../store/openStore.js";

/** The action of the audit entry an archive run appends to vouch for its checkpoint. */
export const archiveAction = "audit.archive";

export interface AuditCheckpoint {
  /** The last archived entry: it and every entry before it left the database. */
  readonly id: number;
  /** Its hash: the prev_hash the first remaining entry carries. */
  readonly hash: string;
}

/** The newest checkpoint (the chain's start for verify), or undefined when nothing was archived. */
export async function latestAuditCheckpoint(db: Executor): Promise<AuditCheckpoint | undefined> {
  const row = await db
    .selectFrom("audit_checkpoints")
    .select(["last_id", "last_hash"])
    .orderBy("last_id", "desc")
    .limit(1)
    .executeTakeFirst()
    .catch((error: unknown) => {
      // verify-audit opens the database without migrating it: one from before 0008 has no
      // checkpoints table, and so no checkpoint.
      if (/no such table|does not exist/.test(String((error as Error).message))) return undefined;
      throw error;
    });
  return row === undefined ? undefined : { id: Number(row.last_id), hash: row.last_hash };
}

/** The detail of the `audit.archive` entry: the checkpoint it vouches for and the files. */
export interface ArchiveEntryDetail {
  readonly upToId: number;
  readonly upToHash: string;
  readonly files: readonly { readonly file: string; readonly sha256: string }[];
}

/** Whether an `audit.archive` entry's detail names this checkpoint. */
export function vouchesFor(detail: string, checkpoint: AuditCheckpoint | undefined): boolean {
  if (checkpoint === undefined) return true;
  try {
    const parsed = JSON.parse(detail) as Partial<ArchiveEntryDetail>;
    return parsed.upToId === checkpoint.id && parsed.upToHash === checkpoint.hash;
  } catch {
    return false;
  }
}
