import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * The clock guard's lifecycle: loads the last trusted time, checks the clock periodically,
 * raises its floor with each bundle's issue time, and reports each change of trust.
 */
export function createClockTrust({ on, bus, ports }: FeatureContext): GatewayFeature {
  on("bundle.applied", ({ issuedAt }) => ports.clock.observe(issuedAt));
  on("clock.trustChanged", ({ trusted }) =>
    bus.emit("event.occurred", {
      event: { type: trusted ? "clock.trusted" : "clock.untrusted" },
    }),
  );
  return {
    start() {
      ports.clock.load();
      ports.clock.start();
    },
    stop() {
      ports.clock.stop();
    },
  };
}
