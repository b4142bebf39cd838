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
      eb.fn.sum<number>("effective_ms").as("effective_ms"),
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
      "effective_ms",
      "first_start",
      "last_start",
    ])
    .expression(select)
    .execute();
  await roundMonthTotals(trx, months, memberId);
}

/**
 * Centres that round the month's total (docs/hours.md "Rounding"): their rows' billable minutes
 * are the exact total time rounded up once, not the sum of the sessions' minutes.
 */
async function roundMonthTotals(trx: Executor, months: Month[], memberId?: string) {
  const centres = await trx
    .selectFrom("centres")
    .select(["id", "rounding_step_minutes"])
    .where("rounding_mode", "=", "month-total")
    .execute();
  if (centres.length === 0) return;
  const steps = new Map(centres.map((c) => [c.id, c.rounding_step_minutes]));
  let query = trx
    .selectFrom("session_totals")
    .select(["month", "centre_id", "member_id", "effective_ms"])
    .where("month", "in", months)
    .where("centre_id", "in", [...steps.keys()]);
  if (memberId !== undefined) query = query.where("member_id", "=", memberId);
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
