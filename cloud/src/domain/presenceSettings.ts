import type { NoExitPolicyKind, RoundingMode } from "../store/database.js";
import { invalid } from "./domainError.js";
import { integer, oneOf } from "./validation.js";

/**
 * What ends a session nobody saw end (docs/hours.md "No-exit policy"): the centre's closing
 * time (or inactivity limit), the member's last event there plus a grace, or a fixed cap.
 */
export type NoExitPolicySetting =
  | { readonly kind: "closing-time" }
  | { readonly kind: "last-seen"; readonly graceMinutes: number }
  | { readonly kind: "cap"; readonly maxMinutes: number };

export const noExitPolicyKinds: readonly NoExitPolicyKind[] = ["closing-time", "last-seen", "cap"];
export const roundingModes: readonly RoundingMode[] = [
  "session-up",
  "session-nearest",
  "month-total",
];

/** A cooperative pays for time it can evidence: the last event seen, plus half an hour. */
export const defaultNoExitPolicy: NoExitPolicySetting = { kind: "last-seen", graceMinutes: 30 };
export const defaultRoundingMode: RoundingMode = "session-up";

const maxGraceMinutes = 12 * 60;
const maxCapMinutes = 24 * 60;

/** The validated policy, or a DomainError naming the field. */
export function validNoExitPolicy(field: string, value: NoExitPolicySetting): NoExitPolicySetting {
  const kind = oneOf(`${field}.kind`, value.kind, noExitPolicyKinds);
  if (kind === "closing-time") return { kind };
  if (kind === "last-seen") {
    const grace = (value as { graceMinutes?: number }).graceMinutes;
    if (grace === undefined) throw invalid(`${field}.graceMinutes`, "is required for last-seen");
    return { kind, graceMinutes: integer(`${field}.graceMinutes`, grace, 1, maxGraceMinutes) };
  }
  const max = (value as { maxMinutes?: number }).maxMinutes;
  if (max === undefined) throw invalid(`${field}.maxMinutes`, "is required for cap");
  return { kind, maxMinutes: integer(`${field}.maxMinutes`, max, 1, maxCapMinutes) };
}

/** The two columns a policy is stored in (0006: no_exit_policy, no_exit_minutes). */
export function policyColumns(policy: NoExitPolicySetting): {
  no_exit_policy: NoExitPolicyKind;
  no_exit_minutes: number;
} {
  switch (policy.kind) {
    case "closing-time":
      return { no_exit_policy: "closing-time", no_exit_minutes: 0 };
    case "last-seen":
      return { no_exit_policy: "last-seen", no_exit_minutes: policy.graceMinutes };
    case "cap":
      return { no_exit_policy: "cap", no_exit_minutes: policy.maxMinutes };
  }
}

export function policyOfColumns(kind: NoExitPolicyKind, minutes: number): NoExitPolicySetting {
  if (kind === "closing-time") return { kind };
  if (kind === "cap") return { kind, maxMinutes: minutes };
  return { kind: "last-seen", graceMinutes: minutes };
}
