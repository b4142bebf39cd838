import { createHash } from "node:crypto";
import { canonicalJson } from "@passerelle/protocol";
import { commitChange } from "../domain/commitChange.js";
import { conflict } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { currentRules } from "./frozenRules.js";
import { buildStatement, monthState, type Statement } from "./monthReports.js";
import { type Month, monthEnd } from "./months.js";
import { loadPresenceCentres } from "./presenceCentres.js";

export interface MonthClose {
  readonly month: Month;
  readonly closedAt: number;
  readonly closedBy: string;
  /** sha256 (hex) of the statement's canonical JSON bytes. */
  readonly contentHash: string;
  readonly statement: Statement;
}

export const contentHashOf = (bytes: string) =>
  createHash("sha256").update(bytes, "utf8").digest("hex");

/**
 * Closes a month (coordinator): the network's hours and settlement statement as it stands is
 * frozen as canonical JSON with its sha256, in the same transaction as its audit entry, with the
 * passes, rates and rounding it used (frozenRules.ts: late events are carried with those). Refused
 * before the month has ended in every centre's zone, and a second time.
 */
export async function closeMonth(
  deps: ServiceDeps,
  actor: Actor,
  month: Month,
): Promise<MonthClose> {
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    // Two instances closing the same month at once: the second waits here, then finds it closed.
    await deps.store.locks.lockInTransaction(trx, "month-close");
    const zones = await trx.selectFrom("centres").select("time_zone").execute();
    if (
      now <
      monthEnd(
        month,
        zones.map((row) => row.time_zone),
      )
    ) {
      throw conflict(`month ${month} has not ended yet`, "month");
    }
    const existing = await deps.store
      .forUpdate(trx.selectFrom("month_closes").select("month").where("month", "=", month))
      .executeTakeFirst();
    if (existing !== undefined) throw conflict(`month ${month} is already closed`, "month");
    const statement = await buildStatement(trx, month, now, actor);
    const bytes = canonicalJson(statement);
    const contentHash = contentHashOf(bytes);
    // What this statement counted with, so late events are carried with the same rules.
    const rules = await currentRules(trx, month, await loadPresenceCentres(trx));
    await trx
      .insertInto("month_closes")
      .values({
        month,
        closed_at: now,
        closed_by: actor,
        content_hash: contentHash,
        statement: bytes,
        frozen_rules: canonicalJson(rules),
      })
      .execute();
    return {
      result: { month, closedAt: now, closedBy: actor, contentHash, statement },
      audit: [
        {
          actor,
          action: "month.close",
          subject: `month:${month}`,
          detail: {
            contentHash,
            amountCents: statement.settlement.reduce((sum, c) => sum + c.amountCents, 0),
          },
        },
      ],
    };
  });
}

export interface MonthView {
  readonly month: Month;
  readonly status: "provisional" | "open" | "closed";
  readonly provisional: boolean;
  readonly contentHash: string | null;
  readonly closedAt: number | null;
  readonly closedBy: string | null;
  /** The frozen statement's exact bytes (canonical JSON); null while open. */
  readonly statement: string | null;
}

export async function getMonth(deps: ServiceDeps, month: Month): Promise<MonthView> {
  const row = await deps.store.db
    .selectFrom("month_closes")
    .selectAll()
    .where("month", "=", month)
    .executeTakeFirst();
  if (row !== undefined) {
    return {
      month,
      status: "closed",
      provisional: false,
      contentHash: row.content_hash,
      closedAt: row.closed_at,
      closedBy: row.closed_by,
      statement: row.statement,
    };
  }
  const state = await monthState(deps, month);
  return { ...state, closedAt: null, closedBy: null, statement: null };
}
