import { type Logger, pino } from "pino";
import type { Executor, Store } from "../store/openStore.js";

/** Epoch milliseconds now; injected so tests and the no-show job control time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Who did it, as stored in *_by columns and audit entries: a logged-in user, an operator at the
 * command line, or the server itself (e.g. "system:no-show").
 */
export type Actor = `user:${string}` | `cli:${string}` | `system:${string}`;

export interface AuditEntry {
  readonly actor: Actor;
  /** Dotted verb, e.g. "badge.revoke", "booking.create". */
  readonly action: string;
  /** What it was done to, e.g. "badge:0193…". */
  readonly subject: string;
  readonly centre?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface DomainHooks {
  /**
   * Who may open which door changed at these centres (committed): the bundle compiler
   * recompiles them. Called after commit, never awaited for the caller; errors are logged.
   */
  onAccessRulesChanged(centreIds: readonly string[]): void;
  /**
   * An administrative change, called inside its transaction with that transaction's executor,
   * so the hash-chained audit log can append atomically with the change it records. Query
   * through `trx` only: on SQLite the store's `db` waits for this transaction to finish.
   */
  audit(entry: AuditEntry, trx: Executor): void | Promise<void>;
  /**
   * A token was revoked, a user disabled or a staff role granted or revoked (committed): who a
   * bearer token stands for may have changed. Synchronous and cheap (it clears a cache).
   */
  onPrincipalsChanged?(): void;
  /**
   * These gateways were disabled or given a new secret (committed): a connection opened with
   * the old credentials must not outlive them, so the broker closes it. Synchronous, never
   * throws into the caller (errors are logged).
   */
  onGatewayCredentialsRevoked?(gatewayIds: readonly string[]): void;
}

export interface ServiceDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly hooks: DomainHooks;
  readonly logger: Logger;
}

export const noHooks: DomainHooks = {
  onAccessRulesChanged: () => {},
  audit: () => {},
  onPrincipalsChanged: () => {},
};

export function serviceDeps(
  store: Store,
  overrides: Partial<Omit<ServiceDeps, "store">> = {},
): ServiceDeps {
  return {
    store,
    clock: overrides.clock ?? systemClock,
    hooks: overrides.hooks ?? noHooks,
    logger: overrides.logger ?? pino({ level: "silent" }),
  };
}
