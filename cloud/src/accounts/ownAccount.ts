import { commitChange } from "../domain/commitChange.js";
import { invalid } from "../domain/domainError.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { checkPassword } from "../domain/users.js";
import { hashSecret, verifySecret } from "../security/secrets.js";
import type { Executor } from "../store/openStore.js";

async function revokeSessions(trx: Executor, userId: string, now: number): Promise<number> {
  const result = await trx
    .updateTable("auth_tokens")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("kind", "=", "session")
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Changes one's own password, given the current one. Every session ends (a stolen one among
 * them); the caller issues a fresh session for the person who just proved who they are.
 */
export async function changeOwnPassword(
  deps: ServiceDeps,
  userId: string,
  current: string,
  next: string,
): Promise<void> {
  checkPassword(next);
  const row = await deps.store.db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (!(await verifySecret(current, row.password_hash))) {
    throw invalid("currentPassword", "the current password is wrong");
  }
  const passwordHash = await hashSecret(next);
  const now = deps.clock.now();
  await commitChange(deps, async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash })
      .where("id", "=", userId)
      .execute();
    await revokeSessions(trx, userId, now);
    return {
      result: undefined,
      principalsChanged: true,
      audit: [
        {
          actor: `user:${userId}`,
          action: "user.change-password",
          subject: `user:${userId}`,
          detail: {},
        },
      ],
    };
  });
}

/** Ends every session of this login (API tokens stay: they are revoked one by one). */
export async function signOutEverywhere(deps: ServiceDeps, userId: string): Promise<number> {
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const ended = await revokeSessions(trx, userId, now);
    return {
      result: ended,
      principalsChanged: true,
      audit: [
        {
          actor: `user:${userId}`,
          action: "user.sign-out-everywhere",
          subject: `user:${userId}`,
          detail: { sessions: ended },
        },
      ],
    };
  });
}
