import { type BundleRequest, encodeMessage } from "@passerelle/protocol";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Asks the cloud for a full bundle when something needs one. Offline, the latest reason is
 * kept and sent when the link comes up.
 */
export function createBundleRequests({ on, ports }: FeatureContext): GatewayFeature {
  let pending: BundleRequest["reason"] | null = null;

  const request = (reason: BundleRequest["reason"]) => {
    if (!ports.link.isConnected()) {
      pending = reason;
      return;
    }
    pending = null;
    const heldVersion = ports.bundles.status().version ?? null;
    ports.link
      .publish("bundleRequest", encodeMessage("bundleRequest", { heldVersion, reason }))
      .catch(() => {
        pending = reason;
      });
  };

  on("bundle.requested", ({ reason }) => request(reason));
  on("link.up", () => {
    if (pending) request(pending);
  });
  return {
    start() {},
  };
}
