export * from "./osdpChecks.js";
export * from "./osdpFrameParser.js";
export * from "./osdpMessages.js";
export * from "./osdpPacket.js";
export * from "./osdpSecureChannel.js";
export * from "./secureChannelCrypto.js";
