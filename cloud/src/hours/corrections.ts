import { uuidv7 } from "@passerelle/protocol";
import { commitChange } from "../domain/commitChange.js";
import { DomainError, invalid, notFound } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { text } from "../domain/validation.js";
import type { RoundingMode, SessionsTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { type RoundingRule, sessionMinutes } from "./rounding.js";
import { resolveSessionId } from "./sessionList.js";
import { refreshMemberTotals } from "./sessionTotals.js";

/** The corrected figure: billable minutes outright, or corrected start and end (then rounded). */
export type CorrectionInput =
  | { readonly minutes: number; readonly reason: string }
  | { readonly start: number; readonly end: number; readonly reason: string };

export interface CorrectionOutcome {
  readonly adjustmentId: string;
  readonly sessionId: string;
  readonly previousMinutes: number;
  readonly minutes: number;
}

const maxSessionMinutes = 24 * 60;

/**
 * Corrects a session by appending an adjustment (docs/hours.md "Corrections"): the session's billable
 * minutes become the correction's, and stay so through every rebuild (sessionRebuild.ts). A
 * manager may do it within the centre's edit window after the session's end; a coordinator at
 * any time. Never in a closed month. Whether the caller may see the centre at all is the
 * route's business (404 for another centre's manager).
 */
export async function correctSession(
  deps: ServiceDeps,
  actor: Actor,
  role: "manager" | "coordinator",
  sessionId: string,
  input: CorrectionInput,
): Promise<CorrectionOutcome> {
  const reason = text("reason", input.reason, 500);
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const { session, rounding } = await editableSession(
      deps,
      trx,
      role,
      sessionId,
      now,
      "corrected",
    );
    const figure = correctedFigure(input, rounding);
    const adjustmentId = uuidv7(now);
    await trx
      .insertInto("session_adjustments")
      .values({
        id: adjustmentId,
        kind: "correction",
        session_id: session.id,
        centre_id: session.centre_id,
        member_id: session.member_id,
        month: session.month,
        started_at: figure.start,
        ended_at: figure.end,
        minutes: figure.minutes,
        settled_minutes: 0,
        settled_cents: 0,
        source_month: null,
        flagged: 0,
        reason,
        actor,
        created_at: now,
      })
      .execute();
    await trx
      .updateTable("sessions")
      .set({
        billable_minutes: figure.minutes,
        adjustment_id: adjustmentId,
        close_reason: "correction",
        confirmed: 1,
        effective_ms: figure.effectiveMs,
      })
      .where("id", "=", session.id)
      .execute();
    await refreshMemberTotals(trx, session.member_id, [session.month]);
    return {
      result: {
        adjustmentId,
        sessionId: session.id,
        previousMinutes: session.billable_minutes,
        minutes: figure.minutes,
      },
      audit: [
        {
          actor,
          action: "session.correct",
          subject: `session:${session.id}`,
          centre: session.centre_id,
          detail: {
            member: session.member_id,
            adjustment: adjustmentId,
            previousMinutes: session.billable_minutes,
            minutes: figure.minutes,
            reason,
          },
        },
      ],
    };
  });
}

/**
 * The session, locked, if this role may change it now: not in a closed month (409); a manager
 * only within the centre's edit window after its end (403 naming the window's end).
 */
export async function editableSession(
  deps: ServiceDeps,
  trx: Executor,
  role: "manager" | "coordinator",
  sessionId: string,
  now: number,
  verb: string,
): Promise<{ session: SessionsTable; rounding: RoundingRule }> {
  const id = (await resolveSessionId(trx, sessionId)) ?? sessionId;
  const session = await deps.store
    .forUpdate(trx.selectFrom("sessions").selectAll().where("id", "=", id))
    .executeTakeFirst();
  if (session === undefined) throw notFound("session", sessionId, "sessionId");
  const centre = await trx
    .selectFrom("centres")
    .select(["rounding_step_minutes", "rounding_mode", "edit_window_minutes"])
    .where("id", "=", session.centre_id)
    .executeTakeFirstOrThrow();
  const closed = await trx
    .selectFrom("month_closes")
    .select("month")
    .where("month", "=", session.month)
    .executeTakeFirst();
  if (closed !== undefined) {
    throw new DomainError(
      "conflict",
      `month ${session.month} is closed: sessions in it cannot be ${verb}`,
      "sessionId",
    );
  }
  const windowEnd = session.ended_at + centre.edit_window_minutes * 60_000;
  if (role === "manager" && now > windowEnd) {
    throw new DomainError(
      "forbidden",
      `the edit window of this session closed at ${new Date(windowEnd).toISOString()} (${centre.edit_window_minutes} min after its end); ask a coordinator`,
      "sessionId",
    );
  }
  const mode: RoundingMode = centre.rounding_mode;
  return { session, rounding: { mode, stepMinutes: centre.rounding_step_minutes } };
}

function correctedFigure(
  input: CorrectionInput,
  rounding: RoundingRule,
): { minutes: number; start: number | null; end: number | null; effectiveMs: number } {
  if ("minutes" in input) {
    if (
      !Number.isInteger(input.minutes) ||
      input.minutes < 0 ||
      input.minutes > maxSessionMinutes
    ) {
      throw invalid("minutes", `minutes must be a whole number from 0 to ${maxSessionMinutes}`);
    }
    return {
      minutes: input.minutes,
      start: null,
      end: null,
      effectiveMs: input.minutes * 60_000,
    };
  }
  if (!(input.end > input.start)) throw invalid("end", "end must be after start");
  if (input.end - input.start > maxSessionMinutes * 60_000) {
    throw invalid("end", "a session lasts at most 24 hours");
  }
  return {
    minutes: sessionMinutes(input.end - input.start, rounding),
    start: input.start,
    end: input.end,
    effectiveMs: input.end - input.start,
  };
}

export type SessionRow = SessionsTable;
