import type { CentrePresence, NoExitPolicy, WeeklySchedule } from "@passerelle/protocol";
import type { Selectable } from "kysely";
import { type NoExitPolicySetting, policyOfColumns } from "../domain/presenceSettings.js";
import type { CentresTable } from "../store/database.js";
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

/** Ids per IN list: well under SQLite's parameter limit. */
const idsPerQuery = 500;

/**
 * Every centre, archived ones included (their past sessions still count); or only those of
 * `ids` (the session rebuild reads the few centres a batch touches, not the whole network).
 */
export async function loadPresenceCentres(
  db: Executor,
  ids?: readonly string[],
): Promise<Map<string, PresenceCentre>> {
  const centres = new Map<string, PresenceCentre>();
  if (ids === undefined) {
    addCentres(centres, await db.selectFrom("centres").selectAll().execute());
    return centres;
  }
  for (let start = 0; start < ids.length; start += idsPerQuery) {
    const chunk = ids.slice(start, start + idsPerQuery);
    addCentres(
      centres,
      await db.selectFrom("centres").selectAll().where("id", "in", chunk).execute(),
    );
  }
  return centres;
}

/**
 * The centres one transaction has needed so far, each read once (a rebuild of several centres
 * asks for the same neighbours again and again). Lives no longer than its transaction.
 */
export class PresenceCentreReader {
  private readonly known = new Map<string, PresenceCentre>();
  private readonly absent = new Set<string>();

  constructor(private readonly db: Executor) {}

  /** The centres read so far, including those of `ids` that exist. */
  async read(ids: Iterable<string>): Promise<ReadonlyMap<string, PresenceCentre>> {
    const wanted = [...new Set(ids)].filter((id) => !this.known.has(id) && !this.absent.has(id));
    if (wanted.length === 0) return this.known;
    const found = await loadPresenceCentres(this.db, wanted);
    for (const id of wanted) {
      const centre = found.get(id);
      if (centre === undefined) this.absent.add(id);
      else this.known.set(id, centre);
    }
    return this.known;
  }
}

type CentreRow = Selectable<CentresTable>;

function addCentres(centres: Map<string, PresenceCentre>, rows: readonly CentreRow[]): void {
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
