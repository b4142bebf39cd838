import { uuidv7 } from "@passerelle/protocol";
import { commitChange } from "../domain/commitChange.js";
import { invalid } from "../domain/domainError.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { checkPassword } from "../domain/users.js";
import { hashSecret, hashToken } from "../security/secrets.js";
import type { AccountLinksTable } from "../store/database.js";
import { markLinkUsed, newLinkToken, RESET_TTL_MS, usableLink } from "./accountLinks.js";

/**
 * A one-hour reset link for the enabled login with this address, or undefined when there is
 * none: the caller answers the same either way, so the answer does not reveal who has a login.
 * A new request replaces the previous link. Not audited (no administrative change yet); the
 * reset itself is.
 */
export async function requestPasswordReset(
  deps: ServiceDeps,
  address: string,
): Promise<{ token: string; email: string } | undefined> {
  const normalised = address.trim().toLowerCase();
  const user = await deps.store.db
    .selectFrom("users")
    .select(["id", "email", "disabled_at"])
    .where("email", "=", normalised)
    .executeTakeFirst();
  if (user === undefined || user.disabled_at !== null) return undefined;
  const token = newLinkToken("password-reset");
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    await trx
      .updateTable("account_links")
      .set({ used_at: now })
      .where("user_id", "=", user.id)
      .where("purpose", "=", "password-reset")
      .where("used_at", "is", null)
      .execute();
    const row: AccountLinksTable = {
      id: uuidv7(now),
      purpose: "password-reset",
      token_hash: hashToken(token),
      email: user.email,
      user_id: user.id,
      member_id: null,
      grants: "{}",
      created_at: now,
      created_by: "system:password-reset",
      expires_at: now + RESET_TTL_MS,
      used_at: null,
    };
    await trx.insertInto("account_links").values(row).execute();
    return { result: { token, email: user.email } };
  });
}

/** Sets the new password, uses the link and ends every session of the login, at once. */
export async function resetPassword(
  deps: ServiceDeps,
  token: string,
  password: string,
): Promise<{ email: string }> {
  const passwordHash = await hashSecret(checkPassword(password));
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const link = await usableLink(trx, "password-reset", token, now);
    const userId = link.user_id as string;
    const user = await trx
      .selectFrom("users")
      .select(["disabled_at"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    if (user.disabled_at !== null) throw invalid("token", "this account is disabled");
    await markLinkUsed(trx, link.id, now);
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash })
      .where("id", "=", userId)
      .execute();
    await trx
      .updateTable("auth_tokens")
      .set({ revoked_at: now })
      .where("user_id", "=", userId)
      .where("kind", "=", "session")
      .where("revoked_at", "is", null)
      .execute();
    return {
      result: { email: link.email },
      principalsChanged: true,
      audit: [
        {
          actor: `user:${userId}`,
          action: "user.reset-password",
          subject: `user:${userId}`,
          detail: { link: link.id },
        },
      ],
    };
  });
}
