import { authenticateToken } from "../domain/authTokens.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { getPrincipal } from "../domain/staff.js";
import type { Authenticate } from "./plugins/accessControl.js";

/**
 * Bearer tokens (sessions from /auth/login, API tokens from /me/tokens) to principals. Tokens are
 * stored hashed; an unknown, expired or revoked one is simply no principal (401 where needed).
 */
export function tokenAuthenticator(deps: ServiceDeps): Authenticate {
  return async (token) => {
    const record = await authenticateToken(deps, token);
    if (record === undefined) return null;
    const principal = await getPrincipal(deps, record.userId);
    return {
      ...principal,
      via: record.kind === "session" ? "session" : "api-token",
      tokenId: record.id,
    };
  };
}
