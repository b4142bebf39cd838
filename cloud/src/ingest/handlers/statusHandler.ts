import type { IngestHandler } from "./ingestHandler.js";

/**
 * `status` (retained; `offline` is the broker's last will): onto the gateway status board. An
 * `offline` names no centre, so only an `online` can be foreign.
 */
export const handleStatus: IngestHandler<"status"> = (context, identity, status, topic) => {
  if (status.state === "online" && status.centre !== identity.centreId) {
    context.reject("status", topic, "foreign-centre");
    return;
  }
  const state = context.gateways.record(identity, status, context.clock.now());
  context.log.debug({ gatewayId: identity.gatewayId, online: state.online }, "gateway status");
};
