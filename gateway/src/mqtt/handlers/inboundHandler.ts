import type { GatewayBus } from "../../core/busEvents.js";
import type { Logger } from "../../core/logger.js";

/** What a handler of one inbound message kind gets besides the payload. */
export interface InboundContext {
  bus: GatewayBus;
  log: Logger;
}

/**
 * Handles one kind of message from the cloud (in the manner of aedes' lib/handlers): checks
 * what it can without keys and says on the bus what arrived. Never throws: a bad message from
 * the network is logged and dropped.
 */
export type InboundHandler = (payload: Buffer, context: InboundContext) => void;
