import { authenticateToken } from "../domain/authTokens.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { getPrincipal } from "../domain/staff.js";
import type { Authenticate } from "./plugins/accessControl.js";
import type { PrincipalCache } from "./principalCache.js";

/**
 * Bearer tokens (sessions from /auth/login, API tokens from /me/tokens) to principals. Tokens are
 * stored hashed; an unknown, expired or revoked one is simply no principal (401 where needed).
 * With a cache, a known token costs a hash and a Map lookup instead of three queries.
 */
export function tokenAuthenticator(deps: ServiceDeps, cache?: PrincipalCache): Authenticate {
  const load = async (token: string) => {
    const record = await authenticateToken(deps, token);
    if (record === undefined) return null;
    const principal = await getPrincipal(deps, record.userId);
    return {
      principal: {
        ...principal,
        via: record.kind === "session" ? ("session" as const) : ("api-token" as const),
        tokenId: record.id,
      },
      expiresAt: record.expiresAt?.getTime() ?? null,
    };
  };
  if (cache === undefined) return async (token) => (await load(token))?.principal ?? null;
  return (token) => cache.get(token, () => load(token));
}
