import type { Executor } from "../store/openStore.js";

/**
 * Each running instance's promise about the presence sessions (docs/scale.md "Sessions after an
 * instance dies"): "everything received before `pending_since` that I committed is in the
 * sessions". An instance killed between committing a batch and rebuilding its sessions leaves
 * its row behind with a heartbeat that stops; another instance claims the row and rebuilds
 * what was received since. The cluster-wide watermark cannot do this alone: the others'
 * rebuilds move it past the dead instance's events.
 */

/** A heartbeat older than this: the instance is gone (it beats every `heartbeatEveryMs`). */
export const deadAfterMs = 2 * 60_000;
export const heartbeatEveryMs = 30_000;
/**
 * `pending_since` is set this far before the instant the instance looked at what it had
 * pending: an event's `received_at` is stamped before its batch commits and is heard, so a
 * batch committing while the mark is written can carry a slightly earlier time.
 */
export const pendingMarginMs = 60_000;

export async function writeMark(
  trx: Executor,
  instanceId: string,
  pendingSince: number,
  now: number,
): Promise<void> {
  await trx
    .insertInto("session_rebuild_marks")
    .values({ instance_id: instanceId, pending_since: pendingSince, heartbeat_at: now })
    .onConflict((oc) =>
      oc.column("instance_id").doUpdateSet({ pending_since: pendingSince, heartbeat_at: now }),
    )
    .execute();
}

/** The heartbeat alone: what is pending has not been rebuilt yet, the promise stays. */
export async function beat(trx: Executor, instanceId: string, now: number): Promise<void> {
  const updated = await trx
    .updateTable("session_rebuild_marks")
    .set({ heartbeat_at: now })
    .where("instance_id", "=", instanceId)
    .executeTakeFirst();
  // The row was claimed as dead (a pause longer than deadAfterMs): write it again from the
  // claim's own start, which is as far back as this instance can have left anything.
  if (updated.numUpdatedRows === 0n) await writeMark(trx, instanceId, now - deadAfterMs, now);
}

export async function deleteMark(trx: Executor, instanceId: string): Promise<void> {
  await trx.deleteFrom("session_rebuild_marks").where("instance_id", "=", instanceId).execute();
}

/** Instances whose heartbeat stopped (not `self`), oldest promise first. */
export async function deadMarks(
  trx: Executor,
  self: string,
  now: number,
): Promise<{ instanceId: string; pendingSince: number }[]> {
  const rows = await trx
    .selectFrom("session_rebuild_marks")
    .select(["instance_id", "pending_since"])
    .where("heartbeat_at", "<", now - deadAfterMs)
    .where("instance_id", "!=", self)
    .orderBy("pending_since")
    .execute();
  return rows.map((row) => ({
    instanceId: row.instance_id,
    pendingSince: Number(row.pending_since),
  }));
}

/**
 * Takes a dead instance's row inside the rebuild's transaction: deleted only if that commits, and
 * only one claimer gets it (the row lock makes a second wait, then find nothing). `undefined`
 * when someone else took it, or it beat again.
 */
export async function claimDeadMark(
  trx: Executor,
  instanceId: string,
  now: number,
): Promise<number | undefined> {
  const row = await trx
    .deleteFrom("session_rebuild_marks")
    .where("instance_id", "=", instanceId)
    .where("heartbeat_at", "<", now - deadAfterMs)
    .returning("pending_since")
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.pending_since);
}
