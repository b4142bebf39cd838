export * from "./billableTime.js";
export * from "./closingTime.js";
export * from "./noExitPolicy.js";
export * from "./presenceError.js";
export * from "./presenceNotes.js";
export * from "./presenceTracker.js";
export * from "./zonedTime.js";
