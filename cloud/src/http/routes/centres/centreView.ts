import { Id, LocalTime } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import type { Centre } from "../../../domain/centres.js";
import { roundingModes } from "../../../domain/presenceSettings.js";
import { canSeeCentre, type Principal } from "../../principal.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";
import { StringEnum } from "../views/stringEnum.js";

/** docs/hours.md "No-exit policy": what ends a session nobody saw end. */
export const NoExitPolicy = Type.Union(
  [
    Type.Object({ kind: Type.Literal("closing-time") }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal("last-seen"),
        graceMinutes: Type.Integer({ minimum: 1, maximum: 720 }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { kind: Type.Literal("cap"), maxMinutes: Type.Integer({ minimum: 1, maximum: 1440 }) },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      "closing-time: the closing time or inactivity limit; last-seen: the member's last event there plus graceMinutes (default, 30); cap: at most maxMinutes after the entry",
  },
);

const OpeningInterval = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      description: "ISO weekdays, 1 = Monday … 7 = Sunday",
    }),
    open: LocalTime,
    close: LocalTime,
  },
  { additionalProperties: false },
);
export const OpeningHours = Type.Array(OpeningInterval, { maxItems: 32 });

export const CentreSettings = Type.Object(
  {
    bookingGraceMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
    noShowReleaseMinutes: Type.Integer({ minimum: 0, maximum: 1440 }),
    roomBufferMinutes: Type.Integer({ minimum: 0, maximum: 240 }),
    /** Presence (docs/hours.md): billable time is rounded to this step. */
    roundingStepMinutes: Type.Integer({ minimum: 1, maximum: 240 }),
    roundingMode: StringEnum(
      roundingModes,
      "session-up (each session rounded up, default), session-nearest (each session to the nearest step, half up), month-total (the month's total per member and centre, rounded up)",
    ),
    noExitPolicy: NoExitPolicy,
    inactivityLimitMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    editWindowMinutes: Type.Integer({ minimum: 0, maximum: 44_640 }),
  },
  { additionalProperties: false },
);

/** The network directory entry; the settlement rate only for those who settle it. */
export const CentreView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  openingHours: OpeningHours,
  closedDates: Type.Array(Type.String({ format: "date" })),
  capacity: Type.Integer(),
  hourlyRateCents: Type.Optional(Type.Integer()),
  currency: Type.Literal("EUR"),
  settings: CentreSettings,
  createdAt: UtcInstant,
  updatedAt: UtcInstant,
  archivedAt: Type.Union([UtcInstant, Type.Null()]),
});
export type CentreView = Static<typeof CentreView>;

export const CentreParams = Type.Object({ centreId: Id });

/**
 * A worker books in any centre and needs its hours and capacity; what the network pays a
 * centre is between the coordinator and that centre's managers.
 */
export function centreView(centre: Centre, viewer: Principal) {
  return {
    id: centre.id,
    name: centre.name,
    timeZone: centre.timeZone,
    openingHours: centre.openingHours.map((interval) => ({
      ...interval,
      days: [...interval.days],
    })),
    closedDates: [...centre.closedDates],
    capacity: centre.capacity,
    ...(canSeeCentre(viewer, centre.id) ? { hourlyRateCents: centre.hourlyRateCents } : {}),
    currency: centre.currency,
    settings: { ...centre.settings, noExitPolicy: { ...centre.settings.noExitPolicy } },
    createdAt: centre.createdAt.toISOString(),
    updatedAt: centre.updatedAt.toISOString(),
    archivedAt: isoOrNull(centre.archivedAt),
  };
}
