import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { type Booking, bookingFromRow } from "../../../reservations/bookings.js";
import type { BookingStatus } from "../../../store/database.js";
import { keysetPage } from "../../../store/keysetPage.js";
import type { Principal } from "../../principal.js";
import { decodeCursor, encodeCursor } from "./listCursor.js";

export interface BookingListFilter {
  readonly centreId?: string;
  readonly memberId?: string;
  readonly resourceId?: string;
  /** Bookings overlapping [from, to), epoch ms. */
  readonly from?: number;
  readonly to?: number;
  readonly status?: BookingStatus;
  readonly cursor?: string;
  readonly limit: number;
}

type StartAndId = readonly [number, string];
const isStartAndId = (key: unknown): key is StartAndId =>
  Array.isArray(key) &&
  key.length === 2 &&
  Number.isSafeInteger(key[0]) &&
  typeof key[1] === "string";

/**
 * A page of the bookings this principal may see, by start time (then id), filtered. The
 * visibility rule is the one of `canHandleBooking`, as a WHERE clause: a coordinator every
 * booking, a manager their centres', a worker their own (a worker-manager both).
 */
export async function listVisibleBookings(
  deps: ServiceDeps,
  principal: Principal,
  filter: BookingListFilter,
): Promise<{ items: Booking[]; nextCursor: string | null }> {
  let query = deps.store.db
    .selectFrom("bookings")
    .selectAll()
    .orderBy("starts_at")
    .orderBy("id")
    .limit(filter.limit + 1);
  // The route's access rule admits workers, managers and coordinators only: the OR is never empty.
  if (!principal.coordinator) {
    const centres = [...principal.managerOf];
    const memberId = principal.memberId;
    query = query.where((eb) =>
      eb.or([
        ...(centres.length > 0 ? [eb("centre_id", "in", centres)] : []),
        ...(memberId !== null ? [eb("member_id", "=", memberId)] : []),
      ]),
    );
  }
  if (filter.centreId !== undefined) query = query.where("centre_id", "=", filter.centreId);
  if (filter.memberId !== undefined) query = query.where("member_id", "=", filter.memberId);
  if (filter.resourceId !== undefined) query = query.where("resource_id", "=", filter.resourceId);
  if (filter.from !== undefined) query = query.where("ends_at", ">", filter.from);
  if (filter.to !== undefined) query = query.where("starts_at", "<", filter.to);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  if (filter.cursor !== undefined) {
    const [start, id] = decodeCursor(filter.cursor, isStartAndId);
    query = query.where((eb) =>
      eb.or([
        eb("starts_at", ">", start),
        eb.and([eb("starts_at", "=", start), eb("id", ">", id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = keysetPage(rows, filter.limit, (last) => encodeCursor([last.starts_at, last.id]));
  return { items: page.rows.map(bookingFromRow), nextCursor: page.next };
}
