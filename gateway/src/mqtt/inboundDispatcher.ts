import { handleAck } from "./handlers/ackHandler.js";
import { handleBundleDelta } from "./handlers/bundleDeltaHandler.js";
import { handleBundle } from "./handlers/bundleHandler.js";
import { handleCommand } from "./handlers/commandMessageHandler.js";
import type { InboundContext, InboundHandler } from "./handlers/inboundHandler.js";
import type { InboundKind } from "./mqttLink.js";

/** One handler per inbound message kind; adding a kind to the link makes this fail to compile. */
const handlers: Record<InboundKind, InboundHandler> = {
  bundle: handleBundle,
  bundleDelta: handleBundleDelta,
  ack: handleAck,
  command: handleCommand,
};

/** Routes a message from the cloud to its kind's handler, and does nothing else. */
export function dispatchInbound(kind: InboundKind, payload: Buffer, context: InboundContext): void {
  handlers[kind](payload, context);
}
