import type { InboundHandler } from "./inboundHandler.js";

/**
 * A signed command; the command handler (commands/) verifies signature, target, lifetime and
 * replay before anything is done.
 */
export const handleCommand: InboundHandler = (payload, { bus }) => {
  bus.emit("command.received", { frame: payload });
};
