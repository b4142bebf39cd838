import type { SessionsTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";

const idsPerQuery = 500;

/**
 * What people said of sessions still counts after a rebuild (the adjustments are an append-only
 * log): the latest correction sets a session's billable minutes and makes it "correction",
 * confirmed; a confirmation confirms it. An adjustment names the session by the id it had then,
 * its opening event; a late, earlier entry may since have opened the session, and that event is
 * now one of its refreshing entries: `heldBy` maps such an event to the session holding it, so
 * the correction is found by event, never lost (docs/hours.md "Corrections").
 */
export async function applySessionAdjustments(
  trx: Executor,
  rows: SessionsTable[],
  heldBy: ReadonlyMap<string, string>,
): Promise<void> {
  if (rows.length === 0) return;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ids = [...byId.keys()];
  for (const [event, session] of heldBy) if (byId.has(session)) ids.push(event);
  const adjustments: {
    id: string;
    kind: string;
    session_id: string | null;
    minutes: number;
    started_at: number | null;
    ended_at: number | null;
    created_at: number;
  }[] = [];
  for (let start = 0; start < ids.length; start += idsPerQuery) {
    adjustments.push(
      ...(await trx
        .selectFrom("session_adjustments")
        .select(["id", "kind", "session_id", "minutes", "started_at", "ended_at", "created_at"])
        .where("kind", "in", ["correction", "confirmation"])
        .where("session_id", "in", ids.slice(start, start + idsPerQuery))
        .execute()),
    );
  }
  adjustments.sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : 1));
  for (const adjustment of adjustments) {
    const named = adjustment.session_id as string;
    const row = byId.get(named) ?? byId.get(heldBy.get(named) ?? "");
    if (row === undefined) continue;
    row.confirmed = 1;
    if (adjustment.kind !== "correction") continue;
    row.billable_minutes = adjustment.minutes;
    row.adjustment_id = adjustment.id;
    row.close_reason = "correction";
    row.effective_ms =
      adjustment.started_at !== null && adjustment.ended_at !== null
        ? Number(adjustment.ended_at) - Number(adjustment.started_at)
        : adjustment.minutes * 60_000;
  }
}
