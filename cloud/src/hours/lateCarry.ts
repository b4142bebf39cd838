import { uuidv7 } from "@passerelle/protocol";
import type { AuditEntry } from "../domain/serviceDeps.js";
import type { Executor } from "../store/openStore.js";
import { type FrozenRules, rulesOfClose, settledUnder } from "./frozenRules.js";
import type { Statement } from "./monthReports.js";
import { type Month, nextMonth } from "./months.js";
import type { PresenceCentre } from "./presenceCentres.js";
import { sessionMinutes, totalMinutes } from "./rounding.js";
import { amountCents } from "./settlementRule.js";

export const lateEventsActor = "system:late-events" as const;

interface Owed {
  hours: number;
  settled: number;
  cents: number;
}

function add(map: Map<string, Owed>, centreId: string, hours: number, settled: number, cents = 0) {
  const entry = map.get(centreId) ?? { hours: 0, settled: 0, cents: 0 };
  entry.hours += hours;
  entry.settled += settled;
  entry.cents += cents;
  map.set(centreId, entry);
}

/**
 * A closed month never changes; when events change a member's sessions in one (a late event,
 * or an event that ends a session opened there), the difference between the sessions as they
 * now stand and what the frozen statement (plus earlier carry-overs) counted goes to the next
 * open month as a flagged `late-event` adjustment (docs/hours.md). The sessions are counted with
 * the passes, rates and rounding the close used (frozenRules.ts), so the carried difference comes
 * from the events only, never from a pass or rate edited after the close. Returns the audit
 * entries of the adjustments appended.
 */
export async function carryLateEvents(
  trx: Executor,
  memberId: string,
  months: ReadonlySet<Month>,
  centres: ReadonlyMap<string, PresenceCentre>,
  now: number,
): Promise<AuditEntry[]> {
  if (months.size === 0) return [];
  const closes = await trx
    .selectFrom("month_closes")
    .select(["month", "statement", "frozen_rules"])
    .where("month", "in", [...months])
    .execute();
  const audits: AuditEntry[] = [];
  for (const close of closes.sort((a, b) => (a.month < b.month ? -1 : 1))) {
    const statement = JSON.parse(close.statement) as Statement;
    const rules = await rulesOfClose(trx, close.month, close.frozen_rules, centres, memberId);
    const owed = await sessionsNow(trx, memberId, close.month, rules);
    for (const line of statement.hours) {
      if (line.memberId === memberId) add(owed, line.centreId, -line.sessionMinutes, 0);
    }
    for (const centre of statement.settlement) {
      for (const line of centre.members) {
        if (line.memberId !== memberId) continue;
        const cents = amountCents(line.sessionMinutes, centre.hourlyRateCents);
        add(owed, line.centreId, 0, -line.sessionMinutes, -cents);
      }
    }
    const carried = await trx
      .selectFrom("session_adjustments")
      .select((eb) => [
        "centre_id",
        eb.fn.sum<number>("minutes").as("minutes"),
        eb.fn.sum<number>("settled_minutes").as("settled"),
        eb.fn.sum<number>("settled_cents").as("cents"),
      ])
      .where("kind", "=", "late-event")
      .where("source_month", "=", close.month)
      .where("member_id", "=", memberId)
      .groupBy("centre_id")
      .execute();
    for (const row of carried) {
      add(owed, row.centre_id, -Number(row.minutes), -Number(row.settled), -Number(row.cents));
    }

    const target = await firstOpenMonthAfter(trx, close.month);
    for (const [centreId, delta] of [...owed].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (delta.hours === 0 && delta.settled === 0 && delta.cents === 0) continue;
      const id = uuidv7(now);
      const reason = `late events for closed month ${close.month}`;
      await trx
        .insertInto("session_adjustments")
        .values({
          id,
          kind: "late-event",
          session_id: null,
          centre_id: centreId,
          member_id: memberId,
          month: target,
          started_at: null,
          ended_at: null,
          minutes: delta.hours,
          settled_minutes: delta.settled,
          settled_cents: delta.cents,
          source_month: close.month,
          flagged: 1,
          reason,
          actor: lateEventsActor,
          created_at: now,
        })
        .execute();
      audits.push({
        actor: lateEventsActor,
        action: "session.late-carry",
        subject: `adjustment:${id}`,
        centre: centreId,
        detail: {
          member: memberId,
          sourceMonth: close.month,
          month: target,
          minutes: delta.hours,
          settledMinutes: delta.settled,
          settledCents: delta.cents,
        },
      });
    }
  }
  return audits;
}

/**
 * The member's sessions of a closed month as they stand, per centre, counted with the close's
 * rules: hours, the minutes settlement pays, and what those are worth at the close's rate.
 */
async function sessionsNow(
  trx: Executor,
  memberId: string,
  month: Month,
  rules: FrozenRules,
): Promise<Map<string, Owed>> {
  const rows = await trx
    .selectFrom("sessions")
    .select([
      "centre_id",
      "started_at",
      "duration_ms",
      "billable_minutes",
      "effective_ms",
      "adjustment_id",
    ])
    .where("member_id", "=", memberId)
    .where("month", "=", month)
    .execute();
  const sums = new Map<string, { minutes: number; ms: number; sMinutes: number; sMs: number }>();
  for (const row of rows) {
    const rounding = rules.centres[row.centre_id]?.rounding;
    const minutes =
      row.adjustment_id !== null || rounding === undefined
        ? row.billable_minutes
        : sessionMinutes(Number(row.duration_ms), rounding);
    const sum = sums.get(row.centre_id) ?? { minutes: 0, ms: 0, sMinutes: 0, sMs: 0 };
    sum.minutes += minutes;
    sum.ms += Number(row.effective_ms);
    if (settledUnder(rules.passes, memberId, row.centre_id, Number(row.started_at))) {
      sum.sMinutes += minutes;
      sum.sMs += Number(row.effective_ms);
    }
    sums.set(row.centre_id, sum);
  }
  const owed = new Map<string, Owed>();
  for (const [centreId, sum] of sums) {
    const centre = rules.centres[centreId];
    const rounding = centre?.rounding ?? { mode: "session-up" as const, stepMinutes: 15 };
    const settled = totalMinutes(rounding, sum.sMinutes, sum.sMs);
    add(
      owed,
      centreId,
      totalMinutes(rounding, sum.minutes, sum.ms),
      settled,
      amountCents(settled, centre?.hourlyRateCents ?? 0),
    );
  }
  return owed;
}

async function firstOpenMonthAfter(trx: Executor, month: Month): Promise<Month> {
  const closed = new Set(
    (await trx.selectFrom("month_closes").select("month").where("month", ">", month).execute()).map(
      (row) => row.month,
    ),
  );
  let target = nextMonth(month);
  while (closed.has(target)) target = nextMonth(target);
  return target;
}
