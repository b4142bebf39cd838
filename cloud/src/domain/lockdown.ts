import { loadCentre } from "./centres.js";
import { commitChange } from "./commitChange.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { text } from "./validation.js";

/** A centre's lockdown: since when, by whom; null when its doors run normally. */
export interface Lockdown {
  readonly centreId: string;
  readonly since: Date | null;
  readonly by: string | null;
}

export async function getLockdown(deps: ServiceDeps, centreId: string): Promise<Lockdown> {
  await loadCentre(deps.store.db, centreId);
  const row = await deps.store.db
    .selectFrom("centres")
    .select(["lockdown_at", "lockdown_by"])
    .where("id", "=", centreId)
    .executeTakeFirstOrThrow();
  return {
    centreId,
    since: row.lockdown_at === null ? null : new Date(Number(row.lockdown_at)),
    by: row.lockdown_by,
  };
}

/**
 * Starts or lifts a centre's lockdown. It is an access-rules change: the centre's bundle is
 * recompiled with `rules.lockdown` and signed, so each gateway applies it, keeps it on disk and
 * goes on refusing everyone but staff while offline (docs/console.md "Lockdown"). Starting an
 * active lockdown again (or lifting a lifted one) changes nothing but is still audited: the
 * reason given matters.
 */
export async function setLockdown(
  deps: ServiceDeps,
  actor: Actor,
  input: { centreId: string; on: boolean; reason: string },
): Promise<Lockdown> {
  const reason = text("reason", input.reason, 500);
  return commitChange(deps, async (trx) => {
    await loadCentre(trx, input.centreId);
    const current = await trx
      .selectFrom("centres")
      .select(["lockdown_at", "lockdown_by"])
      .where("id", "=", input.centreId)
      .executeTakeFirstOrThrow();
    const since = input.on ? (current.lockdown_at ?? deps.clock.now()) : null;
    const by = input.on ? (current.lockdown_by ?? actor) : null;
    await trx
      .updateTable("centres")
      .set({ lockdown_at: since, lockdown_by: by })
      .where("id", "=", input.centreId)
      .execute();
    return {
      result: {
        centreId: input.centreId,
        since: since === null ? null : new Date(Number(since)),
        by,
      },
      audit: [
        {
          actor,
          action: input.on ? "centre.lockdown" : "centre.lockdown-lift",
          subject: `centre:${input.centreId}`,
          centre: input.centreId,
          detail: { reason },
        },
      ],
      accessChangedAt: [input.centreId],
    };
  });
}
