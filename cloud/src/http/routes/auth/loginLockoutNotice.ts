import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import type { ThrottleScope } from "../../loginThrottle.js";

/**
 * A lockout in the audit log (action `login.locked`): an account that took too many wrong
 * passwords, or an address that tried too many accounts, is something a coordinator should see
 * next to the changes. Once per lockout window, never the password; the subject names the
 * account (its normalised address) or the client address.
 */
export async function recordLoginLockout(
  deps: ServiceDeps,
  lockout: { scope: ThrottleScope; account: string; client: string; retryAfterSeconds: number },
): Promise<void> {
  const subject =
    lockout.scope === "account" ? `account:${lockout.account}` : `client:${lockout.client}`;
  try {
    await deps.store.write(async (trx) => {
      await deps.hooks.audit(
        {
          actor: "system:login-throttle",
          action: "login.locked",
          subject,
          detail: {
            scope: lockout.scope,
            client: lockout.client,
            lockedForSeconds: lockout.retryAfterSeconds,
          },
        },
        trx,
      );
    });
  } catch (error) {
    // The refusal stands whether or not the notice could be written.
    deps.logger
      .child({ module: "cloud:auth" })
      .error({ err: error, scope: lockout.scope }, "login lockout notice not recorded");
  }
}
