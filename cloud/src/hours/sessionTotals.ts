import type { Executor } from "../store/openStore.js";
import type { Month } from "./months.js";

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

/** Fills `session_totals` for whole months from `sessions` (bulk loads, the benchmark). */
export async function refreshTotals(trx: Executor, months: Month[], memberId?: string) {
  let select = trx
    .selectFrom("sessions")
    .select((eb) => [
      "month",
      "centre_id",
      "member_id",
      eb.fn.countAll<number>().as("session_count"),
      eb.fn.sum<number>("billable_minutes").as("billable_minutes"),
      eb.fn.min<number>("started_at").as("first_start"),
      eb.fn.max<number>("started_at").as("last_start"),
    ])
    .where("month", "in", months)
    .groupBy(["month", "centre_id", "member_id"]);
  if (memberId !== undefined) select = select.where("member_id", "=", memberId);
  await trx
    .insertInto("session_totals")
    .columns([
      "month",
      "centre_id",
      "member_id",
      "session_count",
      "billable_minutes",
      "first_start",
      "last_start",
    ])
    .expression(select)
    .execute();
}
