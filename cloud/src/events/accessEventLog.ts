import type { ExpressionBuilder } from "kysely";
import type { AccessEventsTable, Database } from "../store/database.js";
import { keysetPage } from "../store/keysetPage.js";
import type { Store } from "../store/openStore.js";

/** What the access log can be narrowed to; every field is optional and they all apply. */
export interface AccessEventFilter {
  /** Only these centres (a manager's); an empty list matches nothing. */
  readonly centreIds?: readonly string[];
  readonly memberId?: string;
  readonly doorId?: string;
  readonly type?: string;
  readonly outcome?: "granted" | "denied";
  readonly reason?: string;
  /** Event time (at the door) from, inclusive, epoch ms. */
  readonly from?: number;
  /** Event time up to, exclusive, epoch ms. */
  readonly to?: number;
  /** Only events the cloud had committed by then: an export's fixed end, whatever arrives. */
  readonly receivedUpTo?: number;
}

/** A position in the log, newest first: the (time, id) of the last event a page held. */
export interface AccessEventCursor {
  readonly time: number;
  readonly id: string;
}

export interface AccessEventRow extends AccessEventsTable {
  readonly member_name: string | null;
  /** The door's name, so no page shows a door's id; null for a door the cloud does not know. */
  readonly door_name: string | null;
}

export interface AccessEventPage {
  readonly rows: readonly AccessEventRow[];
  /** Where the next page starts; null on the last page. */
  readonly next: AccessEventCursor | null;
}

/** The opaque `cursor` of the API: base64url of "time.id". */
export function encodeEventCursor(cursor: AccessEventCursor): string {
  return Buffer.from(`${cursor.time}.${cursor.id}`, "utf8").toString("base64url");
}

/** Undefined for anything that is not a cursor this API gave out. */
export function decodeEventCursor(text: string): AccessEventCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  const match = /^(\d{1,16})\.([0-9A-Za-z-]{1,64})$/.exec(
    Buffer.from(text, "base64url").toString(),
  );
  if (match === null) return undefined;
  const time = Number(match[1]);
  return Number.isSafeInteger(time) ? { time, id: match[2] as string } : undefined;
}

/**
 * The access log's reading side: pages and exports of the events the ingest stored (the writing
 * side, with its audit entries, is adapters/accessEventStore.ts). Read-only, so a route can hold
 * one without being able to write events or skip the audit log.
 */
export class AccessEventLog {
  constructor(private readonly store: Pick<Store, "db">) {}

  /**
   * One page of the access log, newest first, after `cursor`. Keyset pagination on
   * (time, id): a page never repeats nor skips a row because others were inserted meanwhile.
   */
  async list(
    filter: AccessEventFilter,
    page: { limit: number; after?: AccessEventCursor },
  ): Promise<AccessEventPage> {
    if (filter.centreIds?.length === 0) return { rows: [], next: null };
    let query = this.store.db
      .selectFrom("access_events as e")
      .leftJoin("members as m", "m.id", "e.member_id")
      .leftJoin("doors as d", "d.id", "e.door_id")
      .selectAll("e")
      .select(["m.name as member_name", "d.name as door_name"])
      .where((eb) => matching(eb, filter));
    const after = page.after;
    if (after !== undefined) {
      query = query.where((eb) =>
        eb(eb.refTuple("e.time", "e.id"), "<", eb.tuple(after.time, after.id)),
      );
    }
    const rows = await query
      .orderBy("e.time", "desc")
      .orderBy("e.id", "desc")
      .limit(page.limit + 1)
      .execute();
    return keysetPage(rows, page.limit, (last) => ({ time: last.time, id: last.id }));
  }

  /**
   * Every matching row, newest first, read page by page (for the CSV export): at most one page
   * is in memory, and the database is free between pages. kysely's `.stream()` would instead
   * hold SQLite's single connection for the whole download, blocking the ingest behind a slow
   * client, and needs pg-cursor on PostgreSQL; a keyset page is one short indexed query.
   */
  async *scan(filter: AccessEventFilter, pageSize = 500): AsyncGenerator<AccessEventRow> {
    let after: AccessEventCursor | undefined;
    do {
      const page = await this.list(
        filter,
        after ? { limit: pageSize, after } : { limit: pageSize },
      );
      yield* page.rows;
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
}

function matching(
  eb: ExpressionBuilder<Database & { e: AccessEventsTable }, "e">,
  filter: AccessEventFilter,
) {
  const conditions = [];
  if (filter.centreIds !== undefined)
    conditions.push(eb("e.centre_id", "in", [...filter.centreIds]));
  if (filter.memberId !== undefined) conditions.push(eb("e.member_id", "=", filter.memberId));
  if (filter.doorId !== undefined) conditions.push(eb("e.door_id", "=", filter.doorId));
  if (filter.type !== undefined) conditions.push(eb("e.type", "=", filter.type));
  if (filter.outcome !== undefined) conditions.push(eb("e.decision", "=", filter.outcome));
  if (filter.reason !== undefined) conditions.push(eb("e.reason", "=", filter.reason));
  if (filter.from !== undefined) conditions.push(eb("e.time", ">=", filter.from));
  if (filter.to !== undefined) conditions.push(eb("e.time", "<", filter.to));
  if (filter.receivedUpTo !== undefined) {
    conditions.push(eb("e.received_at", "<=", filter.receivedUpTo));
  }
  return eb.and(conditions);
}
