import { uuidv7 } from "@passerelle/protocol";
import { commitChange } from "../domain/commitChange.js";
import { conflict } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { editableSession } from "./corrections.js";

export interface ConfirmationOutcome {
  readonly adjustmentId: string;
  readonly sessionId: string;
  readonly confirmed: true;
}

/**
 * A manager's one-click "this session is right" for a session a no-exit rule closed
 * (docs/hours.md "Unconfirmed sessions"): appended as a `confirmation` adjustment (so it holds
 * through rebuilds, like a correction) with its audit entry `session.confirm`. The same rules
 * as a correction: the manager within the edit window, the coordinator any time, never in a
 * closed month; a session already confirmed is a 409.
 */
export async function confirmSession(
  deps: ServiceDeps,
  actor: Actor,
  role: "manager" | "coordinator",
  sessionId: string,
): Promise<ConfirmationOutcome> {
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const { session } = await editableSession(deps, trx, role, sessionId, now, "confirmed");
    if (session.confirmed === 1) {
      throw conflict(`session ${session.id} is already confirmed`, "sessionId");
    }
    const adjustmentId = uuidv7(now);
    await trx
      .insertInto("session_adjustments")
      .values({
        id: adjustmentId,
        kind: "confirmation",
        session_id: session.id,
        centre_id: session.centre_id,
        member_id: session.member_id,
        month: session.month,
        started_at: null,
        ended_at: null,
        minutes: session.billable_minutes,
        settled_minutes: 0,
        settled_cents: 0,
        source_month: null,
        flagged: 0,
        reason: "confirmed",
        actor,
        created_at: now,
      })
      .execute();
    await trx.updateTable("sessions").set({ confirmed: 1 }).where("id", "=", session.id).execute();
    return {
      result: { adjustmentId, sessionId: session.id, confirmed: true },
      audit: [
        {
          actor,
          action: "session.confirm",
          subject: `session:${session.id}`,
          centre: session.centre_id,
          detail: {
            member: session.member_id,
            adjustment: adjustmentId,
            closeReason: session.close_reason,
            minutes: session.billable_minutes,
          },
        },
      ],
    };
  });
}
