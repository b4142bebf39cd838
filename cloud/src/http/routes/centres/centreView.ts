import { Id, LocalTime } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";
import type { Centre } from "../../../domain/centres.js";
import { canSeeCentre, type Principal } from "../../principal.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";

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
    /** Presence (docs/hours.md): billable time per session is rounded up to this step. */
    roundingStepMinutes: Type.Integer({ minimum: 1, maximum: 240 }),
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
    settings: { ...centre.settings },
    createdAt: centre.createdAt.toISOString(),
    updatedAt: centre.updatedAt.toISOString(),
    archivedAt: isoOrNull(centre.archivedAt),
  };
}
