import type { GatewayRegistry } from "../ports/eventSink.js";
import type { GatewayIdentity } from "../ports/gatewayCredentials.js";

interface Entry {
  readonly identity: GatewayIdentity | null;
  readonly expiresAt: number;
}

/**
 * The registry behind a short cache: every message names its gateway, and at thousands of
 * events per second asking the store each time would cost more than storing them. Concurrent
 * misses for one gateway share one lookup. A gateway disabled meanwhile is also cut off by the
 * broker, which checks its credentials at every connection.
 */
export class GatewayLookup {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<GatewayIdentity | null>>();

  constructor(
    private readonly registry: GatewayRegistry,
    private readonly clock: { now(): number },
    private readonly ttlMs: number,
  ) {}

  async find(gatewayId: string): Promise<GatewayIdentity | null> {
    const cached = this.cache.get(gatewayId);
    if (cached && cached.expiresAt > this.clock.now()) return cached.identity;
    let pending = this.inFlight.get(gatewayId);
    if (!pending) {
      pending = this.registry.lookup(gatewayId).finally(() => this.inFlight.delete(gatewayId));
      this.inFlight.set(gatewayId, pending);
    }
    const identity = await pending;
    this.cache.set(gatewayId, { identity, expiresAt: this.clock.now() + this.ttlMs });
    return identity;
  }
}
