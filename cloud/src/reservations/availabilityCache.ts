import type { ServiceDeps } from "../domain/serviceDeps.js";
import {
  type AvailabilityPage,
  type AvailabilityQuery,
  searchAvailability,
} from "./availability.js";

interface Entry {
  expiresAt: number;
  centreGeneration: number;
  networkGeneration: number;
  page: Promise<AvailabilityPage>;
}

/**
 * Availability answers kept for a few seconds. Availability is read far more than it changes,
 * and a stale answer is harmless: a booking is always re-checked under the resource's lock, so
 * the worst case is a slot shown free that then answers "conflict".
 *
 * Freshness: every committed change that moves access rules (bookings made, cancelled or
 * released, centre hours) calls `invalidate(centres)`, which bumps those centres' generations
 * and the network's; an entry of an older generation is recomputed. The TTL bounds what the
 * hook does not see (resources added, another cloud instance's bookings, time passing).
 * Identical concurrent queries share one computation.
 */
export class AvailabilityCache {
  private readonly entries = new Map<string, Entry>();
  private readonly centreGenerations = new Map<string, number>();
  private networkGeneration = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: { ttlMs: number; maxEntries: number } = {
      ttlMs: 5000,
      maxEntries: 10_000,
    },
  ) {}

  invalidate(centreIds: readonly string[]): void {
    this.networkGeneration += 1;
    for (const id of centreIds)
      this.centreGenerations.set(id, (this.centreGenerations.get(id) ?? 0) + 1);
  }

  search(query: AvailabilityQuery): Promise<AvailabilityPage> {
    const key = cacheKey(query);
    const now = this.deps.clock.now();
    const centreGeneration =
      query.centreId === undefined ? 0 : (this.centreGenerations.get(query.centreId) ?? 0);
    const cached = this.entries.get(key);
    if (
      cached &&
      cached.expiresAt > now &&
      cached.centreGeneration === centreGeneration &&
      (query.centreId !== undefined || cached.networkGeneration === this.networkGeneration)
    ) {
      this.hits += 1;
      return cached.page;
    }
    this.misses += 1;
    const page = searchAvailability(this.deps, query);
    const entry: Entry = {
      expiresAt: now + this.options.ttlMs,
      centreGeneration,
      networkGeneration: this.networkGeneration,
      page,
    };
    this.entries.delete(key);
    this.entries.set(key, entry);
    // A refused query (invalid range) is not kept: the next one recomputes and refuses again.
    page.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return page;
  }
}

function cacheKey(query: AvailabilityQuery): string {
  return [
    query.centreId ?? "*",
    query.kind,
    +new Date(query.from),
    +new Date(query.to),
    query.limit ?? "",
    query.after ?? "",
  ].join("|");
}
