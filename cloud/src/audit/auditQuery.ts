import type { ExpressionBuilder } from "kysely";
import type { AuditLogTable, Database } from "../store/database.js";
import { keysetPage } from "../store/keysetPage.js";
import type { Executor } from "../store/openStore.js";
import type { AuditOutcome } from "./auditRecord.js";

/** What the audit log can be narrowed to; every field is optional and they all apply. */
export interface AuditFilter {
  /** Only rows of these centres (a manager's); an empty list matches nothing. */
  readonly centreIds?: readonly string[];
  readonly memberId?: string;
  readonly doorId?: string;
  readonly outcome?: AuditOutcome;
  readonly actor?: string;
  /** The action's exact code ("badge.revoke"). */
  readonly action?: string;
  /** `at` from, inclusive, epoch ms. */
  readonly from?: number;
  /** `at` up to, exclusive, epoch ms. */
  readonly to?: number;
}

export interface AuditPage {
  readonly rows: readonly AuditLogTable[];
  /** The id the next page starts below; null on the last page. */
  readonly nextBefore: number | null;
}

function matching(eb: ExpressionBuilder<Database, "audit_log">, filter: AuditFilter) {
  const conditions = [];
  if (filter.centreIds !== undefined) conditions.push(eb("centre_id", "in", [...filter.centreIds]));
  if (filter.memberId !== undefined) conditions.push(eb("member_id", "=", filter.memberId));
  if (filter.doorId !== undefined) conditions.push(eb("door_id", "=", filter.doorId));
  if (filter.outcome !== undefined) conditions.push(eb("outcome", "=", filter.outcome));
  if (filter.actor !== undefined) conditions.push(eb("actor", "=", filter.actor));
  if (filter.action !== undefined) conditions.push(eb("action", "=", filter.action));
  if (filter.from !== undefined) conditions.push(eb("at", ">=", filter.from));
  if (filter.to !== undefined) conditions.push(eb("at", "<", filter.to));
  return eb.and(conditions);
}

/**
 * One page, newest entry first, below the id `before`. Keyset pagination on the chain's id:
 * entries appended meanwhile never shift a page, and each filter has an index ending in id.
 */
export async function listAudit(
  db: Executor,
  filter: AuditFilter,
  page: { limit: number; before?: number },
): Promise<AuditPage> {
  if (filter.centreIds?.length === 0) return { rows: [], nextBefore: null };
  let query = db
    .selectFrom("audit_log")
    .selectAll()
    .where((eb) => matching(eb, filter));
  if (page.before !== undefined) query = query.where("id", "<", page.before);
  const rows = await query
    .orderBy("id", "desc")
    .limit(page.limit + 1)
    .execute();
  const { rows: kept, next } = keysetPage(rows, page.limit, (last) => Number(last.id));
  return { rows: kept, nextBefore: next };
}

/**
 * Every matching row, page by page, in chain order (oldest first, so an export can be
 * re-verified), up to the chain's head when the scan starts: at most one page in memory, and
 * the database free between pages. kysely's `.stream()` would instead hold SQLite's only connection for the whole
 * download (the ingest and every request waiting behind a slow client) and needs pg-cursor on
 * PostgreSQL; one keyset page is a short indexed query on either engine.
 */
export async function* scanAuditPages(
  db: Executor,
  filter: AuditFilter,
  pageSize = 1_000,
): AsyncGenerator<readonly AuditLogTable[]> {
  if (filter.centreIds?.length === 0) return;
  const head = await db
    .selectFrom("audit_chain_head")
    .select("last_id")
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  const upTo = Number(head.last_id);
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("audit_log")
      .selectAll()
      .where((eb) => matching(eb, filter))
      .where("id", ">", after)
      .where("id", "<=", upTo)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]?.id);
  }
}
