import { type ChainedEntry, genesisHash, verifyChain } from "@passerelle/protocol";
import type { AuditLogTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { archiveAction, latestAuditCheckpoint, vouchesFor } from "./auditCheckpoint.js";
import { hashedEntry } from "./auditRecord.js";

/**
 * Why a link is broken:
 * - hash-mismatch: the row's content (or its stored hash) is not what was chained: it was edited;
 * - broken-prev-link: the row does not point at the row before it: one was deleted or inserted;
 * - head-mismatch: the chain ends elsewhere than the head row records: rows were removed from
 *   the end (the id named is the last one the head vouches for), rows were added past it (the
 *   id named is the first of them), or the head itself was edited or deleted.
 * - checkpoint-unvouched: the chain starts after an archive checkpoint (audit_checkpoints) that
 *   no `audit.archive` entry of the remaining chain names: the checkpoint was made or edited by
 *   hand, which could hide removed entries (the id named is the first one after it).
 */
export type BrokenLinkReason =
  | "hash-mismatch"
  | "broken-prev-link"
  | "head-mismatch"
  | "checkpoint-unvouched";

export interface AuditVerification {
  readonly ok: boolean;
  /** Rows whose links were checked and found sound before the first broken one. */
  readonly checked: number;
  /** Hash of the last sound row: note it elsewhere to detect a wholesale rewrite later. */
  readonly lastHash: string;
  readonly firstBroken?: { readonly id: number; readonly reason: BrokenLinkReason };
  /** Set when older entries were archived: the walk started after this entry and its hash. */
  readonly startsAfter?: { readonly id: number; readonly hash: string };
}

const pageSize = 2_000;

/**
 * Walks the chain in id order from the latest archive checkpoint (the zero hash when nothing
 * was archived), one keyset page at a time (constant memory, the database
 * free between pages), and names the first broken link. Only rows up to the head read at the
 * start are checked, so appends that commit meanwhile neither disturb nor extend the walk.
 */
export async function verifyAuditChain(db: Executor): Promise<AuditVerification> {
  // One statement, so one snapshot: a row past the head is not an append in flight.
  const head = await db
    .selectFrom("audit_chain_head")
    .select(["last_id", "last_hash"])
    .select((eb) =>
      eb
        .selectFrom("audit_log")
        .select((inner) => inner.fn.max("id").as("max_id"))
        .as("max_id"),
    )
    .where("id", "=", 1)
    .executeTakeFirst();
  if (head === undefined) {
    // The head row was deleted: nothing vouches for where the chain ends.
    return {
      ok: false,
      checked: 0,
      lastHash: genesisHash,
      firstBroken: { id: 1, reason: "head-mismatch" },
    };
  }
  const lastId = Number(head.last_id);
  const beyondHead = Number(head.max_id ?? 0) > lastId;
  const checkpoint = await latestAuditCheckpoint(db);
  const startId = checkpoint?.id ?? 0;
  const startHash = checkpoint?.hash ?? genesisHash;
  const startsAfter = checkpoint === undefined ? {} : { startsAfter: checkpoint };
  let vouched = checkpoint === undefined;

  // verifyChain stops pulling at the first broken entry, so the row yielded last is that one,
  // and the one yielded before it is the last sound row.
  let current: AuditLogTable | undefined;
  let previous: AuditLogTable | undefined;
  async function* entries(): AsyncGenerator<ChainedEntry> {
    let after = startId;
    for (;;) {
      const rows = await db
        .selectFrom("audit_log")
        .selectAll()
        .where("id", ">", after)
        .where("id", "<=", lastId)
        .orderBy("id")
        .limit(pageSize)
        .execute();
      for (const row of rows) {
        previous = current;
        current = row;
        if (!vouched && row.action === archiveAction) vouched = vouchesFor(row.detail, checkpoint);
        yield { entry: hashedEntry(row), previousHash: row.prev_hash, hash: row.hash };
      }
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1]?.id);
    }
  }

  const result = await verifyChain(entries(), startHash);
  if (!result.ok) {
    return {
      ...startsAfter,
      ok: false,
      checked: result.checked,
      lastHash: previous?.hash ?? startHash,
      firstBroken: {
        id: Number(current?.id),
        reason: result.why === "hash" ? "hash-mismatch" : "broken-prev-link",
      },
    };
  }
  const endsAtHead =
    result.lastHash === head.last_hash && Number(current?.id ?? startId) === lastId;
  if (!endsAtHead || beyondHead) {
    return {
      ...startsAfter,
      ok: false,
      checked: result.checked,
      lastHash: result.lastHash,
      firstBroken: { id: endsAtHead ? lastId + 1 : lastId, reason: "head-mismatch" },
    };
  }
  if (!vouched) {
    return {
      ...startsAfter,
      ok: false,
      checked: result.checked,
      lastHash: result.lastHash,
      firstBroken: { id: startId + 1, reason: "checkpoint-unvouched" },
    };
  }
  return { ...startsAfter, ok: true, checked: result.checked, lastHash: result.lastHash };
}
