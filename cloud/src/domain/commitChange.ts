import { isForeignKeyViolation, isUniqueViolation } from "../store/dbErrors.js";
import type { Executor } from "../store/openStore.js";
import { StoreError } from "../store/storeError.js";
import { DomainError } from "./domainError.js";
import type { AuditEntry, ServiceDeps } from "./serviceDeps.js";

/** What a change reports besides its result: its audit entries and the centres whose rules moved. */
export interface ChangeOutcome<T> {
  readonly result: T;
  readonly audit?: readonly AuditEntry[];
  readonly accessChangedAt?: readonly string[];
  /** Logins, roles or tokens changed: cached principals are stale (see http/principalCache). */
  readonly principalsChanged?: boolean;
  /** Gateways whose broker credentials stopped being valid (disabled, secret rotated). */
  readonly gatewayCredentialsRevoked?: readonly string[];
}

/**
 * Runs one administrative change: its work and audit entries in one write transaction, then,
 * once committed, the access-rules notification. A store that stays busy is a conflict for the
 * caller (retry later), never a 500.
 */
export async function commitChange<T>(
  deps: ServiceDeps,
  work: (trx: Executor) => Promise<ChangeOutcome<T>>,
): Promise<T> {
  let outcome: ChangeOutcome<T>;
  try {
    outcome = await deps.store.write(async (trx) => {
      const done = await work(trx);
      for (const entry of done.audit ?? []) await deps.hooks.audit(entry, trx);
      return done;
    });
  } catch (error) {
    if (error instanceof StoreError && error.code === "busy") {
      throw new DomainError("conflict", "the store is busy with concurrent changes; retry");
    }
    // Services check what they can name a field for; these are the safety net for races
    // between that check and the insert (two creations of one e-mail at the same time).
    if (isUniqueViolation(error)) throw new DomainError("conflict", "it already exists");
    if (isForeignKeyViolation(error)) {
      throw new DomainError("invalid", "it refers to something that does not exist");
    }
    throw error;
  }
  if (outcome.principalsChanged) deps.hooks.onPrincipalsChanged?.();
  notifyGatewayCredentialsRevoked(deps, outcome.gatewayCredentialsRevoked ?? []);
  notifyAccessChanged(deps, outcome.accessChangedAt ?? []);
  return outcome.result;
}

function notifyGatewayCredentialsRevoked(deps: ServiceDeps, gatewayIds: readonly string[]): void {
  if (gatewayIds.length === 0) return;
  try {
    deps.hooks.onGatewayCredentialsRevoked?.(gatewayIds);
  } catch (error) {
    // Committed: the old credentials can no longer log in; only the open connection lingers.
    deps.logger
      .child({ module: "cloud:domain" })
      .error({ err: error, gatewayIds }, "closing revoked gateway connections failed");
  }
}

export function notifyAccessChanged(deps: ServiceDeps, centreIds: readonly string[]): void {
  const unique = [...new Set(centreIds)];
  if (unique.length === 0) return;
  try {
    deps.hooks.onAccessRulesChanged(unique);
  } catch (error) {
    // The change is committed; a failed recompile request must not turn it into an error.
    deps.logger
      .child({ module: "cloud:domain" })
      .error({ err: error, centres: unique }, "access-rules change hook failed");
  }
}
