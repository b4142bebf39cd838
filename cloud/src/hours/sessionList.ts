import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { SessionsTable } from "../store/database.js";
import { keysetPage } from "../store/keysetPage.js";
import type { Executor } from "../store/openStore.js";

export interface SessionFilter {
  /** Only these centres (a manager's); an empty list matches nothing. */
  readonly centreIds?: readonly string[];
  readonly memberId?: string;
  /** Sessions starting at or after, epoch ms. */
  readonly from?: number;
  /** Sessions starting before, epoch ms. */
  readonly to?: number;
  /** false: only sessions a no-exit rule closed that nobody confirmed or corrected yet. */
  readonly confirmed?: boolean;
  /** Leave out sessions of closed months (nobody can confirm or correct those). */
  readonly openMonthsOnly?: boolean;
  /**
   * Only sessions ended at or before this instant (epoch ms): a session still running carries the
   * end its rule would give it, which is not yet a fact to confirm.
   */
  readonly endedBy?: number;
}

export interface SessionCursor {
  readonly startedAt: number;
  readonly id: string;
}

/** One page of sessions, newest first, keyset-paged on (started_at, id). */
export async function listSessions(
  deps: ServiceDeps,
  filter: SessionFilter,
  page: { limit: number; after?: SessionCursor },
): Promise<{ rows: SessionsTable[]; next: SessionCursor | null }> {
  if (filter.centreIds?.length === 0) return { rows: [], next: null };
  let query = deps.store.db.selectFrom("sessions").selectAll();
  if (filter.centreIds !== undefined) query = query.where("centre_id", "in", [...filter.centreIds]);
  if (filter.memberId !== undefined) query = query.where("member_id", "=", filter.memberId);
  if (filter.from !== undefined) query = query.where("started_at", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("started_at", "<", filter.to);
  if (filter.confirmed !== undefined) {
    query = query.where("confirmed", "=", filter.confirmed ? 1 : 0);
  }
  if (filter.endedBy !== undefined) query = query.where("ended_at", "<=", filter.endedBy);
  if (filter.openMonthsOnly) {
    query = query.where("month", "not in", (eb) => eb.selectFrom("month_closes").select("month"));
  }
  const after = page.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(eb.refTuple("started_at", "id"), "<", eb.tuple(after.startedAt, after.id)),
    );
  }
  const rows = await query
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(page.limit + 1)
    .execute();
  return keysetPage(rows, page.limit, (last) => ({ startedAt: last.started_at, id: last.id }));
}

/** The centre of a session, or undefined when there is none (for the route's 404 check). */
export async function sessionCentre(
  deps: ServiceDeps,
  sessionId: string,
): Promise<string | undefined> {
  const id = await resolveSessionId(deps.store.db, sessionId);
  if (id === undefined) return undefined;
  const row = await deps.store.db
    .selectFrom("sessions")
    .select("centre_id")
    .where("id", "=", id)
    .executeTakeFirst();
  return row?.centre_id;
}

/**
 * The session a client names. A session's id is its opening event; when a late, earlier entry
 * has since opened it, the id a console still shows is one of its entries: the session holding
 * that entry is the one meant (the same rule the rebuild applies to corrections).
 */
export async function resolveSessionId(db: Executor, id: string): Promise<string | undefined> {
  const session = await db
    .selectFrom("sessions")
    .select("id")
    .where("id", "=", id)
    .executeTakeFirst();
  if (session !== undefined) return session.id;
  const event = await db
    .selectFrom("access_events")
    .select(["member_id", "centre_id", "time"])
    .where("id", "=", id)
    .where("type", "=", "access")
    .executeTakeFirst();
  if (event === undefined || event.member_id === null) return undefined;
  const holder = await db
    .selectFrom("sessions")
    .select("id")
    .where("member_id", "=", event.member_id)
    .where("centre_id", "=", event.centre_id)
    .where("started_at", "<=", event.time)
    .where("last_seen_at", ">=", event.time)
    .orderBy("started_at", "desc")
    .executeTakeFirst();
  return holder?.id;
}

/** Each centre's edit window in minutes (a session's view says until when it is editable). */
export async function editWindows(deps: ServiceDeps): Promise<Map<string, number>> {
  const rows = await deps.store.db
    .selectFrom("centres")
    .select(["id", "edit_window_minutes"])
    .execute();
  return new Map(rows.map((row) => [row.id, row.edit_window_minutes]));
}
