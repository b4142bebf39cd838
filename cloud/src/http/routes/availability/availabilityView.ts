import { type Static, Type } from "@sinclair/typebox";
import type { AvailabilityPage } from "../../../reservations/availability.js";
import { UtcInstant } from "../views/instant.js";
import { encodeCursor, Page } from "../views/page.js";

/** GET /availability: each resource with its free slots, a page at a time. */
export const AvailabilityPageView = Page(
  Type.Object({
    resourceId: Type.String(),
    centreId: Type.String(),
    kind: Type.Union([Type.Literal("desk"), Type.Literal("zone"), Type.Literal("room")]),
    name: Type.String(),
    capacity: Type.Integer(),
    slots: Type.Array(
      Type.Object({
        start: UtcInstant,
        end: UtcInstant,
        free: Type.Integer({ description: "places free throughout the slot" }),
      }),
    ),
  }),
);

export function availabilityView(page: AvailabilityPage): AvailabilityPageView {
  return {
    items: page.items.map((item) => ({
      resourceId: item.resource.id,
      centreId: item.centreId,
      kind: item.resource.kind,
      name: item.resource.name,
      capacity: item.resource.capacity,
      slots: item.slots.map((slot) => ({
        start: slot.start.toISOString(),
        end: slot.end.toISOString(),
        free: slot.free,
      })),
    })),
    nextCursor: page.next === null ? null : encodeCursor(page.next),
  };
}

export type AvailabilityPageView = Static<typeof AvailabilityPageView>;
/** One resource of an availability page. */
export type AvailabilityItem = AvailabilityPageView["items"][number];
/** A stretch of time with the same number of free places. */
export type AvailabilitySlot = AvailabilityItem["slots"][number];
