import { PresenceError } from "./presenceError.js";

/**
 * Billable time of one session (docs/hours.md, "Presence sessions"): its duration rounded up
 * to the next whole step, 15 minutes by default. 0 stays 0; exactly one step is one step; one
 * ms more is two.
 */
export function roundUp(durationMs: number, stepMinutes = 15): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new PresenceError("presence.invalid-duration", `not a duration: ${durationMs}`);
  }
  if (!Number.isInteger(stepMinutes) || stepMinutes < 1) {
    throw new PresenceError("presence.invalid-option", `not a rounding step: ${stepMinutes}`);
  }
  const stepMs = stepMinutes * 60_000;
  return Math.ceil(durationMs / stepMs) * stepMs;
}
