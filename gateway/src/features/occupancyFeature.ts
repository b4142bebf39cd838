import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Live occupancy from the gateway's own recorded access events (when the parts include an
 * occupancy reporter), published on change and every minute.
 */
export function createOccupancy({ on, ports }: FeatureContext): GatewayFeature {
  const occupancy = ports.occupancy;
  if (occupancy !== undefined) on("event.recorded", ({ event }) => occupancy.record(event));
  return {
    start() {
      occupancy?.start();
    },
    stop() {
      occupancy?.stop();
    },
  };
}
