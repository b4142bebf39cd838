import { dispatchInbound } from "../mqtt/inboundDispatcher.js";
import type { InboundKind } from "../mqtt/mqttLink.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * The MQTT link to the cloud: starts it, says `link.up` / `link.down`, and routes each inbound
 * message to its kind's handler (mqtt/handlers/). Started before the hardware, so that it stops
 * after the doors applied their lock mode and their last events can still leave.
 */
export function createCloudLink({ bus, ports, logger }: FeatureContext): GatewayFeature {
  const context = { bus, log: logger.child({ module: "gateway:inbound" }) };
  const onMessage = (kind: InboundKind, payload: Buffer) => dispatchInbound(kind, payload, context);
  const onConnection = (connected: boolean) => bus.emit(connected ? "link.up" : "link.down", {});
  return {
    start() {
      ports.link.on("message", onMessage);
      ports.link.on("connection", onConnection);
      ports.link.start();
    },
    async stop() {
      await ports.link.stop();
      ports.link.off("message", onMessage);
      ports.link.off("connection", onConnection);
    },
  };
}
