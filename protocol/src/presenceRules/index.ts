export * from "./billableTime.js";
export * from "./closingTime.js";
export * from "./presenceError.js";
export * from "./presenceTracker.js";
export * from "./zonedTime.js";
