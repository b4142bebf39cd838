import { type ChainedEntry, genesisHash, verifyChain } from "@passerelle/protocol";
import type { AuditLogTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { hashedEntry } from "./auditRecord.js";

/**
 * Why a link is broken:
 * - hash-mismatch: the row's content (or its stored hash) is not what was chained: it was edited;
 * - broken-prev-link: the row does not point at the row before it: one was deleted or inserted;
 * - head-mismatch: the chain ends elsewhere than the head row records: rows were removed from
 *   the end (the id named is the last one the head vouches for), rows were added past it (the
 *   id named is the first of them), or the head itself was edited or deleted.
 */
export type BrokenLinkReason = "hash-mismatch" | "broken-prev-link" | "head-mismatch";

export interface AuditVerification {
  readonly ok: boolean;
  /** Rows whose links were checked and found sound before the first broken one. */
  readonly checked: number;
  /** Hash of the last sound row: note it elsewhere to detect a wholesale rewrite later. */
  readonly lastHash: string;
  readonly firstBroken?: { readonly id: number; readonly reason: BrokenLinkReason };
}

const pageSize = 2_000;

/**
 * Walks the whole chain in id order, one keyset page at a time (constant memory, the database
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

  // verifyChain stops pulling at the first broken entry, so the row yielded last is that one,
  // and the one yielded before it is the last sound row.
  let current: AuditLogTable | undefined;
  let previous: AuditLogTable | undefined;
  async function* entries(): AsyncGenerator<ChainedEntry> {
    let after = 0;
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
        yield { entry: hashedEntry(row), previousHash: row.prev_hash, hash: row.hash };
      }
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1]?.id);
    }
  }

  const result = await verifyChain(entries(), genesisHash);
  if (!result.ok) {
    return {
      ok: false,
      checked: result.checked,
      lastHash: previous?.hash ?? genesisHash,
      firstBroken: {
        id: Number(current?.id),
        reason: result.why === "hash" ? "hash-mismatch" : "broken-prev-link",
      },
    };
  }
  const endsAtHead = result.lastHash === head.last_hash && Number(current?.id ?? 0) === lastId;
  if (!endsAtHead || beyondHead) {
    return {
      ok: false,
      checked: result.checked,
      lastHash: result.lastHash,
      firstBroken: { id: endsAtHead ? lastId + 1 : lastId, reason: "head-mismatch" },
    };
  }
  return { ok: true, checked: result.checked, lastHash: result.lastHash };
}
