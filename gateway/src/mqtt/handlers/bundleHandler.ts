import type { InboundHandler } from "./inboundHandler.js";

/**
 * A full bundle (retained, or answering a request). Its signature, centre and version are the
 * bundle store's to check (it holds the trusted keys and the version in force).
 */
export const handleBundle: InboundHandler = (payload, { bus }) => {
  bus.emit("bundle.received", { frame: payload });
};
