export * from "./aesCmac.js";
export * from "./cardKeys.js";
export * from "./keyDiversification.js";
export * from "./ndefFile.js";
export * from "./readCounter.js";
export * from "./sunKeysFile.js";
export * from "./sunMessage.js";
export * from "./sunUrl.js";
