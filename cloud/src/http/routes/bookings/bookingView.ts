import { type Static, Type } from "@sinclair/typebox";
import type { Booking } from "../../../reservations/bookings.js";
import { isoOrNull, UtcInstant } from "../views/instant.js";
import { Page } from "../views/page.js";

const NullableDateTime = Type.Union([UtcInstant, Type.Null()]);

/** A booking as the API shows it; times in UTC ("Z"). Who created or cancelled it stays in the audit log. */
export const BookingView = Type.Object({
  id: Type.String(),
  resourceId: Type.String(),
  centreId: Type.String(),
  memberId: Type.String(),
  seriesId: Type.Union([Type.String(), Type.Null()]),
  start: UtcInstant,
  end: UtcInstant,
  status: Type.Union([
    Type.Literal("confirmed"),
    Type.Literal("cancelled"),
    Type.Literal("released"),
  ]),
  createdAt: UtcInstant,
  checkedInAt: NullableDateTime,
  cancelledAt: NullableDateTime,
  cancelReason: Type.Union([Type.String(), Type.Null()]),
});
export type BookingView = Static<typeof BookingView>;

export const BookingPage = Page(BookingView);

export function bookingView(booking: Booking) {
  return {
    id: booking.id,
    resourceId: booking.resourceId,
    centreId: booking.centreId,
    memberId: booking.memberId,
    seriesId: booking.seriesId,
    start: booking.start.toISOString(),
    end: booking.end.toISOString(),
    status: booking.status,
    createdAt: booking.createdAt.toISOString(),
    checkedInAt: isoOrNull(booking.checkedInAt),
    cancelledAt: isoOrNull(booking.cancelledAt),
    cancelReason: booking.cancelReason,
  };
}
