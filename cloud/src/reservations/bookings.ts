import { notFound } from "../domain/domainError.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { instant } from "../domain/validation.js";
import type { BookingStatus, BookingsTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";

/** A booking of one resource by one member over [start, end), UTC. */
export interface Booking {
  readonly id: string;
  readonly resourceId: string;
  readonly centreId: string;
  readonly memberId: string;
  readonly seriesId: string | null;
  readonly start: Date;
  readonly end: Date;
  /** confirmed: holds the resource; cancelled: by someone; released: no badge-in in time. */
  readonly status: BookingStatus;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly checkedInAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly cancelledBy: string | null;
  readonly cancelReason: string | null;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export function bookingFromRow(row: BookingsTable): Booking {
  return {
    id: row.id,
    resourceId: row.resource_id,
    centreId: row.centre_id,
    memberId: row.member_id,
    seriesId: row.series_id,
    start: new Date(row.starts_at),
    end: new Date(row.ends_at),
    status: row.status,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    checkedInAt: date(row.checked_in_at),
    cancelledAt: date(row.cancelled_at),
    cancelledBy: row.cancelled_by,
    cancelReason: row.cancel_reason,
  };
}

export async function loadBookingRow(db: Executor, id: string): Promise<BookingsTable> {
  const row = await db.selectFrom("bookings").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("booking", id, "bookingId");
  return row;
}

export async function getBooking(deps: ServiceDeps, id: string): Promise<Booking> {
  return bookingFromRow(await loadBookingRow(deps.store.db, id));
}

export interface BookingFilter {
  readonly memberId?: string;
  readonly resourceId?: string;
  readonly centreId?: string;
  readonly seriesId?: string;
  /** Bookings overlapping [from, to). */
  readonly from?: Date | number;
  readonly to?: Date | number;
  readonly statuses?: readonly BookingStatus[];
  /** Cursor: the id of the previous page's last booking (ids are UUIDv7, so time-ordered). */
  readonly after?: string;
  readonly limit?: number;
}

/** Bookings in id order (creation order), at most `limit` (default 100, at most 1000). */
export async function listBookings(
  deps: ServiceDeps,
  filter: BookingFilter = {},
): Promise<Booking[]> {
  let query = deps.store.db
    .selectFrom("bookings")
    .selectAll()
    .orderBy("id")
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  if (filter.memberId !== undefined) query = query.where("member_id", "=", filter.memberId);
  if (filter.resourceId !== undefined) query = query.where("resource_id", "=", filter.resourceId);
  if (filter.centreId !== undefined) query = query.where("centre_id", "=", filter.centreId);
  if (filter.seriesId !== undefined) query = query.where("series_id", "=", filter.seriesId);
  if (filter.from !== undefined) query = query.where("ends_at", ">", instant("from", filter.from));
  if (filter.to !== undefined) query = query.where("starts_at", "<", instant("to", filter.to));
  if (filter.statuses !== undefined) {
    if (filter.statuses.length === 0) return [];
    query = query.where("status", "in", [...filter.statuses]);
  }
  if (filter.after !== undefined) query = query.where("id", ">", filter.after);
  return (await query.execute()).map(bookingFromRow);
}
