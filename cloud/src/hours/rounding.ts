import { roundUp } from "@passerelle/protocol";
import type { RoundingMode } from "../store/database.js";

/** A centre's rounding rule (docs/hours.md "Rounding"). */
export interface RoundingRule {
  readonly mode: RoundingMode;
  readonly stepMinutes: number;
}

const minuteMs = 60_000;

/**
 * One session's minutes: rounded up to the step (`session-up`), to the nearest step, half up
 * (`session-nearest`), or, when the month's total is rounded instead (`month-total`), its
 * duration in whole minutes, half up, for display: the total is rounded from the exact times.
 */
export function sessionMinutes(durationMs: number, rule: RoundingRule): number {
  switch (rule.mode) {
    case "session-up":
      return roundUp(durationMs, rule.stepMinutes) / minuteMs;
    case "session-nearest": {
      const stepMs = rule.stepMinutes * minuteMs;
      return (Math.floor((durationMs + stepMs / 2) / stepMs) * stepMs) / minuteMs;
    }
    case "month-total":
      return Math.floor((durationMs + minuteMs / 2) / minuteMs);
  }
}

/**
 * The minutes of a month's sessions of one member at one centre: the sum of their rounded
 * minutes, or, for `month-total`, their exact total time rounded up once to the step.
 */
export function totalMinutes(
  rule: RoundingRule,
  sessionMinutesSum: number,
  effectiveMsSum: number,
): number {
  if (rule.mode !== "month-total") return sessionMinutesSum;
  return roundUp(Math.max(0, effectiveMsSum), rule.stepMinutes) / minuteMs;
}
