import type { InboundHandler } from "./inboundHandler.js";

/** A bundle delta; the bundle store checks its signature and that it follows the held version. */
export const handleBundleDelta: InboundHandler = (payload, { bus }) => {
  bus.emit("bundleDelta.received", { frame: payload });
};
