import type { Executor } from "../store/openStore.js";
import type { Month } from "./months.js";
import { totalMinutes } from "./rounding.js";

/**
 * Recomputes one member's rows of `session_totals` for these months from `sessions`, inside the
 * transaction that changed the sessions (a rebuild, a correction), so the totals are always
 * exactly the sums of the sessions. Reads only that member's sessions.
 */
export async function refreshMemberTotals(
  trx: Executor,
  memberId: string,
  months: Iterable<Month>,
): Promise<void> {
  const list = [...new Set(months)];
  if (list.length === 0) return;
  await trx
    .deleteFrom("session_totals")
    .where("member_id", "=", memberId)
    .where("month", "in", list)
    .execute();
  await refreshTotals(trx, list, memberId);
}

/** Members per statement of refreshTouchedTotals. */
const membersPerQuery = 400;
/** Past this many centres the filter is left out: a superset is refreshed, still exact. */
const maxCentreFilter = 2_000;

/**
 * What a session rebuild changed: member → month → centres whose sessions were rebuilt.
 */
export type TouchedTotals = ReadonlyMap<string, ReadonlyMap<Month, ReadonlySet<string>>>;

/**
 * Recomputes the totals of a whole rebuild batch in a few statements (docs/performance.md: per
 * member and centre, this was a third of the ingest's busy time at saturation). Rows are
 * refreshed for the batch's members × months × centres, a superset of what changed; each is
 * recomputed from `sessions`, so the totals stay exactly the sums of the sessions.
 */
export async function refreshTouchedTotals(trx: Executor, touched: TouchedTotals): Promise<void> {
  const members = [...touched.keys()].sort();
  if (members.length === 0) return;
  const months = new Set<Month>();
  const centres = new Set<string>();
  for (const byMonth of touched.values()) {
    for (const [month, at] of byMonth) {
      months.add(month);
      for (const centre of at) centres.add(centre);
    }
  }
  const scope: TotalsScope = {
    months: [...months].sort(),
    ...(centres.size <= maxCentreFilter ? { centres: [...centres].sort() } : {}),
  };
  for (let start = 0; start < members.length; start += membersPerQuery) {
    const chunk = { ...scope, members: members.slice(start, start + membersPerQuery) };
    let remove = trx
      .deleteFrom("session_totals")
      .where("member_id", "in", chunk.members)
      .where("month", "in", chunk.months);
    if (chunk.centres) remove = remove.where("centre_id", "in", chunk.centres);
    await remove.execute();
    await fillTotals(trx, chunk);
  }
}

interface TotalsScope {
  readonly months: Month[];
  readonly members?: readonly string[];
  readonly centres?: readonly string[];
}

/** Fills `session_totals` for whole months from `sessions` (bulk loads, the benchmark). */
export async function refreshTotals(trx: Executor, months: Month[], memberId?: string) {
  await fillTotals(trx, { months, ...(memberId === undefined ? {} : { members: [memberId] }) });
}

async function fillTotals(trx: Executor, scope: TotalsScope) {
  const { months } = scope;
  let select = trx
    .selectFrom("sessions")
    .select((eb) => [
      "month",
      "centre_id",
      "member_id",
      eb.fn.countAll<number>().as("session_count"),
      eb.fn.sum<number>("billable_minutes").as("billable_minutes"),
      eb.fn.sum<number>("effective_ms").as("effective_ms"),
      eb.fn.min<number>("started_at").as("first_start"),
      eb.fn.max<number>("started_at").as("last_start"),
    ])
    .where("month", "in", months)
    .groupBy(["month", "centre_id", "member_id"]);
  if (scope.members) select = select.where("member_id", "in", scope.members);
  if (scope.centres) select = select.where("centre_id", "in", scope.centres);
  await trx
    .insertInto("session_totals")
    .columns([
      "month",
      "centre_id",
      "member_id",
      "session_count",
      "billable_minutes",
      "effective_ms",
      "first_start",
      "last_start",
    ])
    .expression(select)
    .execute();
  await roundMonthTotals(trx, scope);
}

/**
 * Centres that round the month's total (docs/hours.md "Rounding"): their rows' billable minutes
 * are the exact total time rounded up once, not the sum of the sessions' minutes.
 */
async function roundMonthTotals(trx: Executor, scope: TotalsScope) {
  const { months } = scope;
  let roundingCentres = trx
    .selectFrom("centres")
    .select(["id", "rounding_step_minutes"])
    .where("rounding_mode", "=", "month-total");
  if (scope.centres) roundingCentres = roundingCentres.where("id", "in", scope.centres);
  const centres = await roundingCentres.execute();
  if (centres.length === 0) return;
  const steps = new Map(centres.map((c) => [c.id, c.rounding_step_minutes]));
  let query = trx
    .selectFrom("session_totals")
    .select(["month", "centre_id", "member_id", "effective_ms"])
    .where("month", "in", months)
    .where("centre_id", "in", [...steps.keys()]);
  if (scope.members) query = query.where("member_id", "in", scope.members);
  for (const row of await query.execute()) {
    const stepMinutes = steps.get(row.centre_id) as number;
    const minutes = totalMinutes({ mode: "month-total", stepMinutes }, 0, Number(row.effective_ms));
    await trx
      .updateTable("session_totals")
      .set({ billable_minutes: minutes })
      .where("month", "=", row.month)
      .where("centre_id", "=", row.centre_id)
      .where("member_id", "=", row.member_id)
      .execute();
  }
}
