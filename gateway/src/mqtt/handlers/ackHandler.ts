import { decodeMessage, ProtocolError } from "@passerelle/protocol";
import type { InboundHandler } from "./inboundHandler.js";

/** The cloud's application ack `{upToSeq}`: events up to it are committed and may be deleted. */
export const handleAck: InboundHandler = (payload, { bus, log }) => {
  let upToSeq: number;
  try {
    upToSeq = decodeMessage("ack", payload).upToSeq;
  } catch (error) {
    const code = error instanceof ProtocolError ? error.code : "ack.invalid";
    log.warn({ code }, "malformed ack refused");
    return;
  }
  bus.emit("ack.received", { upToSeq });
};
