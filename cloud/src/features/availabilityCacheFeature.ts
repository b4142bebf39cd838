import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import type { AvailabilityCache } from "../reservations/availabilityCache.js";

/** Listens to accessRules.changed and drops the availability answers of those centres. */
export class AvailabilityCacheFeature implements Feature {
  readonly name = "availabilityCache";

  constructor(
    private readonly bus: CloudEventBus,
    private readonly cache: AvailabilityCache,
  ) {}

  start(): void {
    this.bus.on("accessRules.changed", this, ({ centreIds }) => this.cache.invalidate(centreIds));
  }

  stop(): void {
    this.bus.removeListeners(this);
  }
}
