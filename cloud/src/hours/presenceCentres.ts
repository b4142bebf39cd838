import type { CentrePresence, NoExitPolicy, WeeklySchedule } from "@passerelle/protocol";
import { type NoExitPolicySetting, policyOfColumns } from "../domain/presenceSettings.js";
import type { Executor } from "../store/openStore.js";
import type { RoundingRule } from "./rounding.js";

/** What hours need to know about a centre: its presence rules and the figures of its reports. */
export interface PresenceCentre {
  readonly id: string;
  readonly timeZone: string;
  readonly capacity: number;
  readonly openingHours: WeeklySchedule;
  readonly closedDates: readonly string[];
  readonly hourlyRateCents: number;
  readonly roundingStepMinutes: number;
  readonly rounding: RoundingRule;
  readonly noExitPolicy: NoExitPolicySetting;
  readonly inactivityLimitMinutes: number;
  readonly editWindowMinutes: number;
  /** For the shared PresenceTracker (protocol/src/presenceRules). */
  readonly presence: CentrePresence;
}

/** Every centre, archived ones included: their past sessions still count. */
export async function loadPresenceCentres(db: Executor): Promise<Map<string, PresenceCentre>> {
  const rows = await db.selectFrom("centres").selectAll().execute();
  const centres = new Map<string, PresenceCentre>();
  for (const row of rows) {
    const openingHours = JSON.parse(row.opening_hours) as WeeklySchedule;
    const closedDates = JSON.parse(row.closed_dates) as string[];
    const noExitPolicy = policyOfColumns(row.no_exit_policy, row.no_exit_minutes);
    centres.set(row.id, {
      id: row.id,
      timeZone: row.time_zone,
      capacity: row.capacity,
      openingHours,
      closedDates,
      hourlyRateCents: row.hourly_rate_cents,
      roundingStepMinutes: row.rounding_step_minutes,
      rounding: { mode: row.rounding_mode, stepMinutes: row.rounding_step_minutes },
      noExitPolicy,
      inactivityLimitMinutes: row.inactivity_limit_minutes,
      editWindowMinutes: row.edit_window_minutes,
      presence: {
        id: row.id,
        timeZone: row.time_zone,
        openingHours,
        closedDates,
        inactivityLimitMs: row.inactivity_limit_minutes * 60_000,
        noExitPolicy: trackerPolicy(noExitPolicy),
      },
    });
  }
  return centres;
}

/** The tracker's form of a centre's no-exit policy (milliseconds). */
export function trackerPolicy(policy: NoExitPolicySetting): NoExitPolicy {
  switch (policy.kind) {
    case "closing-time":
      return { kind: "closing-time" };
    case "last-seen":
      return { kind: "last-seen", graceMs: policy.graceMinutes * 60_000 };
    case "cap":
      return { kind: "cap", maxMs: policy.maxMinutes * 60_000 };
  }
}
