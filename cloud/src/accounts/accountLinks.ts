import { DomainError } from "../domain/domainError.js";
import { generateSecret, hashToken } from "../security/secrets.js";
import type { AccountLinkPurpose, AccountLinksTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const RESET_TTL_MS = 60 * 60 * 1000;

/** A fresh link token; the prefix tells people (and secret scanners) what leaked. */
export function newLinkToken(purpose: AccountLinkPurpose): string {
  return `${purpose === "invitation" ? "psi" : "psp"}_${generateSecret()}`;
}

/** Why a link cannot be used, one message per case: the holder already has the token. */
export class LinkRefused extends DomainError {
  constructor(readonly reason: "unknown" | "used" | "expired") {
    const messages = {
      unknown: "this link is not valid (mistyped or forged)",
      used: "this link was already used",
      expired: "this link has expired; ask for a new one",
    };
    super("invalid", messages[reason], "token", { reason });
  }
}

/**
 * The unused, unexpired link of this purpose behind the token, read inside the transaction that
 * will mark it used, so two uses of one link cannot both succeed.
 */
export async function usableLink(
  trx: Executor,
  purpose: AccountLinkPurpose,
  token: string,
  now: number,
): Promise<AccountLinksTable> {
  const row =
    token.length > 200
      ? undefined
      : await trx
          .selectFrom("account_links")
          .selectAll()
          .where("token_hash", "=", hashToken(token))
          .where("purpose", "=", purpose)
          .executeTakeFirst();
  if (row === undefined) throw new LinkRefused("unknown");
  if (row.used_at !== null) throw new LinkRefused("used");
  if (row.expires_at <= now) throw new LinkRefused("expired");
  return row;
}

export async function markLinkUsed(trx: Executor, id: string, now: number): Promise<void> {
  const result = await trx
    .updateTable("account_links")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new LinkRefused("used");
}
