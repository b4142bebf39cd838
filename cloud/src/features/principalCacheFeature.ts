import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import type { PrincipalCache } from "../http/principalCache.js";

/**
 * Listens to principals.changed and clears the bearer-token cache. The bus calls it during the
 * change's commitChange, so the caller gets its answer only after the cache forgot.
 */
export class PrincipalCacheFeature implements Feature {
  readonly name = "principalCache";

  constructor(
    private readonly bus: CloudEventBus,
    private readonly cache: PrincipalCache,
  ) {}

  start(): void {
    this.bus.on("principals.changed", this, () => this.cache.clear());
  }

  stop(): void {
    this.bus.removeListeners(this);
  }
}
