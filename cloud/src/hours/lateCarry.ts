import { uuidv7 } from "@passerelle/protocol";
import type { AuditEntry } from "../domain/serviceDeps.js";
import type { Executor } from "../store/openStore.js";
import { type FigureContext, liveHoursLines, liveSettlement } from "./liveFigures.js";
import type { Statement } from "./monthReports.js";
import { type Month, nextMonth } from "./months.js";
import type { PresenceCentre } from "./presenceCentres.js";

export const lateEventsActor = "system:late-events" as const;

interface Minutes {
  hours: number;
  settled: number;
}

function add(map: Map<string, Minutes>, centreId: string, hours: number, settled: number) {
  const entry = map.get(centreId) ?? { hours: 0, settled: 0 };
  entry.hours += hours;
  entry.settled += settled;
  map.set(centreId, entry);
}

/**
 * A closed month never changes; when late events change a member's sessions in one, the
 * difference between the sessions as they now stand and what the frozen statement (plus earlier
 * carry-overs) counted goes to the next open month as a flagged `late-event` adjustment
 * (docs/hours.md). Returns the audit entries of the adjustments appended.
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
    .select(["month", "statement"])
    .where("month", "in", [...months])
    .execute();
  const audits: AuditEntry[] = [];
  for (const close of closes.sort((a, b) => (a.month < b.month ? -1 : 1))) {
    const statement = JSON.parse(close.statement) as Statement;
    const owed = new Map<string, Minutes>();
    for (const line of statement.hours) {
      if (line.memberId === memberId) add(owed, line.centreId, -line.sessionMinutes, 0);
    }
    for (const centre of statement.settlement) {
      for (const line of centre.members) {
        if (line.memberId === memberId) add(owed, line.centreId, 0, -line.sessionMinutes);
      }
    }
    const context: FigureContext = {
      db: trx,
      month: close.month,
      scope: { memberId },
      centres,
      runningAt: null,
    };
    for (const line of await liveHoursLines(context))
      add(owed, line.centreId, line.sessionMinutes, 0);
    for (const centre of await liveSettlement(context, false)) {
      for (const line of centre.members) add(owed, line.centreId, 0, line.sessionMinutes);
    }
    const carried = await trx
      .selectFrom("session_adjustments")
      .select((eb) => [
        "centre_id",
        eb.fn.sum<number>("minutes").as("minutes"),
        eb.fn.sum<number>("settled_minutes").as("settled"),
      ])
      .where("kind", "=", "late-event")
      .where("source_month", "=", close.month)
      .where("member_id", "=", memberId)
      .groupBy("centre_id")
      .execute();
    for (const row of carried) add(owed, row.centre_id, -Number(row.minutes), -Number(row.settled));

    const target = await firstOpenMonthAfter(trx, close.month);
    for (const [centreId, delta] of [...owed].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (delta.hours === 0 && delta.settled === 0) continue;
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
        },
      });
    }
  }
  return audits;
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
