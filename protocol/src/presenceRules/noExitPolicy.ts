import { PresenceError } from "./presenceError.js";

/**
 * How a presence session nobody saw end is closed (a member who left without an exit badge,
 * through a door that counts no one, or while others stayed inside):
 *
 * - `closing-time`: at its deadline, the centre's closing time or the inactivity limit after
 *   the latest granted entry (the rule before exits were counted);
 * - `last-seen`: the member's latest granted entry at the centre plus `graceMs`, or the
 *   deadline when that comes first;
 * - `cap`: the session's opening plus `maxMs`, or the deadline when that comes first.
 *
 * The session is *decided* at its deadline either way (until then an entry or an exit may still
 * close it for certain); the policy only says which time it is given then.
 */
export type NoExitPolicy =
  | { readonly kind: "closing-time" }
  | { readonly kind: "last-seen"; readonly graceMs: number }
  | { readonly kind: "cap"; readonly maxMs: number };

/**
 * The default for a centre without its own policy: a cooperative pays a centre only for time it
 * can evidence, and 30 minutes after the latest badge is what a badge evidences.
 */
export const defaultNoExitPolicy: NoExitPolicy = { kind: "last-seen", graceMs: 30 * 60_000 };

/** Throws `presence.invalid-option` unless the policy is one of the three with a sane figure. */
export function assertNoExitPolicy(policy: NoExitPolicy): void {
  const figure =
    policy.kind === "last-seen" ? policy.graceMs : policy.kind === "cap" ? policy.maxMs : 1;
  const known = ["closing-time", "last-seen", "cap"].includes(policy.kind);
  if (!known || typeof figure !== "number" || !Number.isFinite(figure) || figure <= 0) {
    throw new PresenceError(
      "presence.invalid-option",
      `not a no-exit policy: ${JSON.stringify(policy)}`,
    );
  }
}

/** What a policy needs of a session. Times are ms since the epoch. */
export interface PolicyInput {
  readonly openedAt: number;
  /** The member's latest granted entry at the centre. */
  readonly lastSeenAt: number;
  /** The session's deadline (closing time or inactivity limit, the earlier). */
  readonly deadline: number;
  /** The deadline's own reason: "closing-time" or "inactivity". */
  readonly deadlineReason: "closing-time" | "inactivity";
}

/**
 * When and why a session decided at its deadline ends. A policy time at or after the deadline
 * gives the deadline with the deadline's reason (a session is never given more than today's
 * rule gave it); an earlier one gives the policy's reason ("inactivity" for last-seen, "cap").
 */
export function noExitEnd(
  policy: NoExitPolicy,
  session: PolicyInput,
): { at: number; reason: "closing-time" | "inactivity" | "cap" } {
  const atDeadline = { at: session.deadline, reason: session.deadlineReason };
  switch (policy.kind) {
    case "closing-time":
      return atDeadline;
    case "last-seen": {
      const at = session.lastSeenAt + policy.graceMs;
      return at < session.deadline ? { at, reason: "inactivity" } : atDeadline;
    }
    case "cap": {
      const at = session.openedAt + policy.maxMs;
      return at < session.deadline ? { at, reason: "cap" } : atDeadline;
    }
  }
}
