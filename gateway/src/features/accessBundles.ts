import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * The signed access bundle in force: loads the one on disk at start, hands the frames that
 * arrive to the bundle store (which verifies them), and reports each bundle applied or refused.
 */
export function createAccessBundles({ on, bus, ports }: FeatureContext): GatewayFeature {
  on("bundle.received", ({ frame }) => ports.bundles.receiveFull(frame));
  on("bundleDelta.received", ({ frame }) => ports.bundles.receiveDelta(frame));
  on("bundle.applied", ({ version }) =>
    bus.emit("event.occurred", { event: { type: "bundle.applied", bundleVersion: version } }),
  );
  on("bundle.rejected", ({ code }) =>
    bus.emit("event.occurred", { event: { type: "bundle.rejected", detail: code } }),
  );
  return {
    start() {
      ports.bundles.load();
    },
  };
}
