import { EventUplink } from "../mqtt/eventUplink.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Sends the outbox to the cloud, one acknowledged batch at a time: woken by each recorded
 * event, paused and resumed with the link, and trimmed by the cloud's acks.
 */
export function createEventUplink({ on, ports, config, logger }: FeatureContext): GatewayFeature {
  const uplink = new EventUplink(ports.outbox, ports.link, {
    batchSize: config.outbox.batchSize,
    ackTimeoutMs: config.outbox.ackTimeoutMs,
    logger,
  });
  on("event.recorded", () => uplink.pump());
  on("link.up", () => uplink.onConnectionChange(true));
  on("link.down", () => uplink.onConnectionChange(false));
  on("ack.received", ({ upToSeq }) => uplink.onAck(upToSeq));
  return {
    start() {},
    stop() {
      uplink.stop();
    },
  };
}
