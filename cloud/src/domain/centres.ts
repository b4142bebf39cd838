import type { WeeklySchedule } from "@passerelle/protocol";
import type { CentresTable, RoundingMode } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { commitChange } from "./commitChange.js";
import { conflict, notFound } from "./domainError.js";
import {
  type CentreCalendar,
  validateClosedDates,
  validateOpeningHours,
  validateTimeZone,
} from "./openingHours.js";
import {
  defaultNoExitPolicy,
  defaultRoundingMode,
  type NoExitPolicySetting,
  policyColumns,
  policyOfColumns,
  roundingModes,
  validNoExitPolicy,
} from "./presenceSettings.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { integer, oneOf, slugId, text } from "./validation.js";

export interface CentreSettings {
  /** Minutes before a booking (and after it) its member's badge already (still) opens the door. */
  readonly bookingGraceMinutes: number;
  /** Minutes after a booking's start without a badge-in before it is released; 0 = never. */
  readonly noShowReleaseMinutes: number;
  /** Minutes kept free between two bookings of one meeting room (cleaning, changeover). */
  readonly roomBufferMinutes: number;
  /** Presence (docs/hours.md): billable time is rounded to this step. */
  readonly roundingStepMinutes: number;
  /** Per session up, per session to the nearest step, or the month's total per member. */
  readonly roundingMode: RoundingMode;
  /** When a session nobody saw end stops counting. */
  readonly noExitPolicy: NoExitPolicySetting;
  /** A presence session closes this long after its latest granted entry. */
  readonly inactivityLimitMinutes: number;
  /** How long after a session ends the centre's manager may still correct it. */
  readonly editWindowMinutes: number;
}

export interface Centre {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly openingHours: WeeklySchedule;
  readonly closedDates: readonly string[];
  /** People the centre may hold at once (fire safety), for occupancy rates. */
  readonly capacity: number;
  /** What the network pays the centre per hour of a network member's presence. */
  readonly hourlyRateCents: number;
  readonly currency: "EUR";
  readonly settings: CentreSettings;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly archivedAt: Date | null;
}

export interface CentreInput {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly openingHours: WeeklySchedule;
  readonly closedDates?: readonly string[];
  readonly capacity: number;
  readonly hourlyRateCents: number;
  readonly settings?: Partial<CentreSettings>;
}

export type CentrePatch = Partial<Omit<CentreInput, "id">>;

export const defaultCentreSettings: CentreSettings = {
  bookingGraceMinutes: 15,
  noShowReleaseMinutes: 30,
  roomBufferMinutes: 10,
  roundingStepMinutes: 15,
  roundingMode: defaultRoundingMode,
  noExitPolicy: defaultNoExitPolicy,
  inactivityLimitMinutes: 12 * 60,
  editWindowMinutes: 24 * 60,
};

const DAY_MINUTES = 24 * 60;

export function centreFromRow(row: CentresTable): Centre {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    openingHours: JSON.parse(row.opening_hours) as WeeklySchedule,
    closedDates: JSON.parse(row.closed_dates) as string[],
    capacity: row.capacity,
    hourlyRateCents: row.hourly_rate_cents,
    currency: "EUR",
    settings: {
      bookingGraceMinutes: row.booking_grace_minutes,
      noShowReleaseMinutes: row.no_show_release_minutes,
      roomBufferMinutes: row.room_buffer_minutes,
      roundingStepMinutes: row.rounding_step_minutes,
      roundingMode: row.rounding_mode,
      noExitPolicy: policyOfColumns(row.no_exit_policy, row.no_exit_minutes),
      inactivityLimitMinutes: row.inactivity_limit_minutes,
      editWindowMinutes: row.edit_window_minutes,
    },
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    archivedAt: row.archived_at === null ? null : new Date(row.archived_at),
  };
}

export function calendarOf(centre: Centre): CentreCalendar {
  return {
    timeZone: centre.timeZone,
    openingHours: centre.openingHours,
    closedDates: new Set(centre.closedDates),
  };
}

function validSettings(settings: Partial<CentreSettings>, base: CentreSettings): CentreSettings {
  const merged = { ...base, ...settings };
  return {
    bookingGraceMinutes: integer(
      "settings.bookingGraceMinutes",
      merged.bookingGraceMinutes,
      0,
      240,
    ),
    noShowReleaseMinutes: integer(
      "settings.noShowReleaseMinutes",
      merged.noShowReleaseMinutes,
      0,
      DAY_MINUTES,
    ),
    roomBufferMinutes: integer("settings.roomBufferMinutes", merged.roomBufferMinutes, 0, 240),
    roundingStepMinutes: integer(
      "settings.roundingStepMinutes",
      merged.roundingStepMinutes,
      1,
      240,
    ),
    roundingMode: oneOf("settings.roundingMode", merged.roundingMode, roundingModes),
    noExitPolicy: validNoExitPolicy("settings.noExitPolicy", merged.noExitPolicy),
    inactivityLimitMinutes: integer(
      "settings.inactivityLimitMinutes",
      merged.inactivityLimitMinutes,
      1,
      DAY_MINUTES,
    ),
    editWindowMinutes: integer(
      "settings.editWindowMinutes",
      merged.editWindowMinutes,
      0,
      31 * DAY_MINUTES,
    ),
  };
}

/** The columns a (partial) input sets, validated. */
function columnsOf(input: CentrePatch, base: CentreSettings): Partial<CentresTable> {
  const columns: Partial<CentresTable> = {};
  if (input.name !== undefined) columns.name = text("name", input.name);
  if (input.timeZone !== undefined)
    columns.time_zone = validateTimeZone("timeZone", input.timeZone);
  if (input.openingHours !== undefined) {
    columns.opening_hours = JSON.stringify(
      validateOpeningHours("openingHours", input.openingHours),
    );
  }
  if (input.closedDates !== undefined) {
    columns.closed_dates = JSON.stringify(validateClosedDates("closedDates", input.closedDates));
  }
  if (input.capacity !== undefined)
    columns.capacity = integer("capacity", input.capacity, 0, 100_000);
  if (input.hourlyRateCents !== undefined) {
    columns.hourly_rate_cents = integer("hourlyRateCents", input.hourlyRateCents, 0, 1_000_000);
  }
  if (input.settings !== undefined) {
    const settings = validSettings(input.settings, base);
    columns.booking_grace_minutes = settings.bookingGraceMinutes;
    columns.no_show_release_minutes = settings.noShowReleaseMinutes;
    columns.room_buffer_minutes = settings.roomBufferMinutes;
    columns.rounding_step_minutes = settings.roundingStepMinutes;
    columns.rounding_mode = settings.roundingMode;
    Object.assign(columns, policyColumns(settings.noExitPolicy));
    columns.inactivity_limit_minutes = settings.inactivityLimitMinutes;
    columns.edit_window_minutes = settings.editWindowMinutes;
  }
  return columns;
}

export async function loadCentre(db: Executor, id: string): Promise<Centre> {
  const row = await db.selectFrom("centres").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("centre", id, "centreId");
  return centreFromRow(row);
}

export async function getCentre(deps: ServiceDeps, id: string): Promise<Centre> {
  return loadCentre(deps.store.db, id);
}

/** Every centre (archived ones only when asked), or those with the given ids, by id. */
export async function listCentres(
  deps: ServiceDeps,
  filter: { ids?: readonly string[]; includeArchived?: boolean } = {},
): Promise<Centre[]> {
  let query = deps.store.db.selectFrom("centres").selectAll().orderBy("id");
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where("id", "in", [...filter.ids]);
  }
  if (!filter.includeArchived) query = query.where("archived_at", "is", null);
  return (await query.execute()).map(centreFromRow);
}

export async function createCentre(
  deps: ServiceDeps,
  actor: Actor,
  input: CentreInput,
): Promise<Centre> {
  const id = slugId("id", input.id);
  const settings = validSettings(input.settings ?? {}, defaultCentreSettings);
  const columns = columnsOf({ ...input, closedDates: input.closedDates ?? [], settings }, settings);
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const existing = await trx
      .selectFrom("centres")
      .select("id")
      .where("id", "=", id)
      .executeTakeFirst();
    if (existing !== undefined) throw conflict(`centre ${id} already exists`, "id");
    const row = {
      ...(columns as Omit<CentresTable, "id" | "created_at" | "updated_at" | "archived_at">),
      id,
      currency: "EUR",
      created_at: now,
      updated_at: now,
      archived_at: null,
    };
    await trx.insertInto("centres").values(row).execute();
    const centre = centreFromRow(row);
    return {
      result: centre,
      audit: [{ actor, action: "centre.create", subject: `centre:${id}`, centre: id, detail: {} }],
      accessChangedAt: [id],
    };
  });
}

/** Edits a centre; hours, closed days and zone change door access, so its bundle is rebuilt. */
export async function updateCentre(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: CentrePatch,
): Promise<Centre> {
  return commitChange(deps, async (trx) => {
    const current = await loadCentre(trx, id);
    const columns = columnsOf(patch, current.settings);
    const changed = Object.keys(columns);
    await trx
      .updateTable("centres")
      .set({ ...columns, updated_at: deps.clock.now() })
      .where("id", "=", id)
      .execute();
    return {
      result: await loadCentre(trx, id),
      audit: [
        {
          actor,
          action: "centre.update",
          subject: `centre:${id}`,
          centre: id,
          detail: { changed },
        },
      ],
      accessChangedAt: [id],
    };
  });
}

/** Archived centres keep their history (bookings, hours) but accept no new bookings. */
export async function archiveCentre(deps: ServiceDeps, actor: Actor, id: string): Promise<Centre> {
  return commitChange(deps, async (trx) => {
    await loadCentre(trx, id);
    const now = deps.clock.now();
    await trx
      .updateTable("centres")
      .set({ archived_at: now, updated_at: now })
      .where("id", "=", id)
      .execute();
    return {
      result: await loadCentre(trx, id),
      audit: [{ actor, action: "centre.archive", subject: `centre:${id}`, centre: id, detail: {} }],
      accessChangedAt: [id],
    };
  });
}
