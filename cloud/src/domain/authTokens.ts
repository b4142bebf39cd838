import { uuidv7 } from "@passerelle/protocol";
import { generateSecret, hashToken } from "../security/secrets.js";
import type { AuthTokensTable, TokenKind } from "../store/database.js";
import { commitChange } from "./commitChange.js";
import { invalid, notFound } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { loadUser } from "./users.js";
import { text } from "./validation.js";

/** A session (after login) or an API token (for scripts); only its sha256 is stored. */
export interface AuthToken {
  readonly id: string;
  readonly userId: string;
  readonly kind: TokenKind;
  readonly name: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

const DEFAULT_SESSION_MS = 12 * 60 * 60 * 1000;
const MAX_TOKEN_MS = 366 * 24 * 60 * 60 * 1000;

function tokenFromRow(row: AuthTokensTable): AuthToken {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    name: row.name,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/**
 * Creates a token; the token text is in the result only. Sessions expire after 12 hours by
 * default; API tokens after `ttlMs` (at most a year), never "forever".
 */
export async function issueToken(
  deps: ServiceDeps,
  actor: Actor,
  input: { userId: string; kind: TokenKind; name?: string; ttlMs?: number },
): Promise<{ token: string; record: AuthToken }> {
  const ttl = input.ttlMs ?? DEFAULT_SESSION_MS;
  if (!Number.isSafeInteger(ttl) || ttl <= 0 || ttl > MAX_TOKEN_MS) {
    throw invalid("ttlMs", "must be a positive duration of at most a year");
  }
  const name = text("name", input.name ?? input.kind);
  // The prefix lets secret scanners (and people) recognise a leaked Passerelle token.
  const token = `psr_${generateSecret()}`;
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const user = await loadUser(trx, input.userId);
    if (user.disabledAt !== null) throw invalid("userId", "the user is disabled");
    const row: AuthTokensTable = {
      id: uuidv7(now),
      user_id: user.id,
      kind: input.kind,
      token_hash: hashToken(token),
      name,
      created_at: now,
      expires_at: now + ttl,
      revoked_at: null,
    };
    await trx.insertInto("auth_tokens").values(row).execute();
    return {
      result: { token, record: tokenFromRow(row) },
      // Logging in is not an administrative change; creating an API token is.
      audit:
        input.kind === "api"
          ? [
              {
                actor,
                action: "token.issue",
                subject: `user:${user.id}`,
                detail: { token: row.id },
              },
            ]
          : [],
    };
  });
}

/** The live token (not expired, not revoked, user enabled) behind this text, else undefined. */
export async function authenticateToken(
  deps: ServiceDeps,
  token: string,
): Promise<AuthToken | undefined> {
  if (token.length > 200) return undefined;
  const now = deps.clock.now();
  const row = await deps.store.db
    .selectFrom("auth_tokens")
    .innerJoin("users", "users.id", "auth_tokens.user_id")
    .selectAll("auth_tokens")
    .where("auth_tokens.token_hash", "=", hashToken(token))
    .where("auth_tokens.revoked_at", "is", null)
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
  if (row === undefined || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  return tokenFromRow(row);
}

export async function listTokens(deps: ServiceDeps, userId: string): Promise<AuthToken[]> {
  const rows = await deps.store.db
    .selectFrom("auth_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
  return rows.map(tokenFromRow);
}

export async function revokeToken(deps: ServiceDeps, actor: Actor, tokenId: string): Promise<void> {
  return commitChange(deps, async (trx) => {
    const row = await trx
      .selectFrom("auth_tokens")
      .selectAll()
      .where("id", "=", tokenId)
      .executeTakeFirst();
    if (row === undefined) throw notFound("token", tokenId, "tokenId");
    if (row.revoked_at === null) {
      await trx
        .updateTable("auth_tokens")
        .set({ revoked_at: deps.clock.now() })
        .where("id", "=", tokenId)
        .execute();
    }
    return {
      result: undefined,
      principalsChanged: true,
      audit:
        row.kind === "api"
          ? [
              {
                actor,
                action: "token.revoke",
                subject: `user:${row.user_id}`,
                detail: { token: tokenId },
              },
            ]
          : [],
    };
  });
}
