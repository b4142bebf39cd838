import { createHash } from "node:crypto";
import type { Principal } from "./principal.js";

interface CachedPrincipal {
  readonly principal: Principal;
  /** Epoch ms after which the entry is not used: the token's own expiry or the TTL, sooner. */
  readonly until: number;
}

export interface PrincipalCacheOptions {
  /** Upper bound on how long an entry is trusted even without an invalidation. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Bearer token → principal, so that an authenticated request does not pay three store queries
 * (token, user, roles) each time. Correctness rests on invalidation, not on the TTL: every
 * committed change that can alter a principal (token revoked, password changed, user disabled,
 * staff role granted or revoked) clears it before the change's caller gets its answer: the
 * `onPrincipalsChanged` domain hook emits principals.changed, and
 * features/principalCacheFeature.ts calls `clear()`. The TTL only bounds what a change made by another
 * process (the operator CLI) can leave stale. Keys are SHA-256 of the token: the cache never
 * holds a usable secret.
 */
export class PrincipalCache {
  readonly #entries = new Map<string, CachedPrincipal>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Bumped by clear(): a lookup that started before a change must not store its old answer. */
  #generation = 0;

  constructor(options: PrincipalCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The cached principal, or the one `load` finds (cached when it has one). */
  async get(
    token: string,
    load: () => Promise<{ principal: Principal; expiresAt: number | null } | null>,
  ): Promise<Principal | null> {
    const key = createHash("sha256").update(token).digest("base64url");
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.until > now) return hit.principal;
    if (hit !== undefined) this.#entries.delete(key);

    const generation = this.#generation;
    const found = await load();
    if (found === null || generation !== this.#generation) return found?.principal ?? null;
    // Oldest first out: Map keeps insertion order, enough for a bound on memory.
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    const until = Math.min(now + this.#ttlMs, found.expiresAt ?? Number.POSITIVE_INFINITY);
    this.#entries.set(key, { principal: found.principal, until });
    return found.principal;
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
