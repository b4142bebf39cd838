/**
 * The part of the contract a browser can load: the fixed word lists, the pure zoned-time
 * readers and the presence rules (the console's curve counts like the gateway), with no
 * node:crypto and no TypeBox (the web console bundles it; docs/console.md).
 * Types of the schemas come along as types only, erased from the bundle.
 * test/browserEntry.test.ts fails when anything this file loads imports a package or a Node module.
 */
export { PresenceError, type PresenceErrorCode } from "./presenceRules/presenceError.js";
export {
  type PresenceEvent,
  PresenceTracker,
} from "./presenceRules/presenceTracker.js";
export * from "./presenceRules/zonedTime.js";
export type { AccessReason, Decision, DenyReason, GrantReason } from "./schemas/access.js";
export type { EventType } from "./schemas/events.js";
export * from "./vocabulary.js";
