import type { IngestHandler } from "./ingestHandler.js";

/**
 * `bundle/request`: handed to the bundle publisher without waiting, so a slow compile never holds
 * the gateway's other messages; a failure is logged (the gateway asks again).
 */
export const handleBundleRequest: IngestHandler<"bundleRequest"> = (context, identity, request) => {
  const handler = context.bundleRequests;
  if (!handler) return;
  Promise.resolve()
    .then(() => handler.onBundleRequest(identity, request))
    .catch((error: unknown) =>
      context.log.error({ err: error, gatewayId: identity.gatewayId }, "bundle request failed"),
    );
};
