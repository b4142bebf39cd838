import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { BookingStatus } from "../store/database.js";
import { type CalendarEvent, serializeCalendar } from "./icalendar.js";

const DAY = 24 * 60 * 60 * 1000;

/**
 * What a feed holds: bookings from 30 days back to a year ahead, at most 2000 (calendar apps
 * refetch the whole feed every time, so it stays bounded whatever the history's length).
 * Cancelled and released bookings stay in, as STATUS:CANCELLED, so a subscribed app removes the
 * event it already showed instead of keeping a ghost.
 */
export const feedWindow = { pastMs: 30 * DAY, futureMs: 366 * DAY, maxEvents: 2000 } as const;

export const productId = "-//Passerelle//Passerelle Cloud//EN";
/** Feeds change with bookings; apps that honour it refetch hourly. */
const refreshMinutes = 60;

type FeedSubject = { memberId: string } | { resourceId: string };

interface FeedRow {
  id: string;
  starts_at: number;
  ends_at: number;
  status: BookingStatus;
  created_at: number;
  cancelled_at: number | null;
  resource_name: string;
  centre_name: string;
  member_name: string;
}

async function feedRows(deps: ServiceDeps, subject: FeedSubject): Promise<FeedRow[]> {
  const now = deps.clock.now();
  let query = deps.store.db
    .selectFrom("bookings")
    .innerJoin("resources", "resources.id", "bookings.resource_id")
    .innerJoin("centres", "centres.id", "bookings.centre_id")
    .innerJoin("members", "members.id", "bookings.member_id")
    .select([
      "bookings.id",
      "bookings.starts_at",
      "bookings.ends_at",
      "bookings.status",
      "bookings.created_at",
      "bookings.cancelled_at",
      "resources.name as resource_name",
      "centres.name as centre_name",
      "members.name as member_name",
    ])
    .where("bookings.ends_at", ">", now - feedWindow.pastMs)
    .where("bookings.starts_at", "<", now + feedWindow.futureMs)
    .orderBy("bookings.starts_at")
    .orderBy("bookings.id")
    .limit(feedWindow.maxEvents);
  query =
    "memberId" in subject
      ? query.where("bookings.member_id", "=", subject.memberId)
      : query.where("bookings.resource_id", "=", subject.resourceId);
  return query.execute();
}

function event(row: FeedRow, summary: string): CalendarEvent {
  const cancelled = row.status !== "confirmed";
  return {
    // Booking ids are UUIDv7, unique already; the fixed domain keeps UIDs stable whatever host
    // name the feed is fetched through.
    uid: `${row.id}@passerelle`,
    stamp: new Date(row.cancelled_at ?? row.created_at),
    start: new Date(row.starts_at),
    end: new Date(row.ends_at),
    summary,
    location: `${row.resource_name}, ${row.centre_name}`,
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    // A booking changes once at most (confirmed → cancelled/released): the revision says so.
    sequence: cancelled ? 1 : 0,
  };
}

/** A member's own bookings, as they subscribe to them in their calendar app. */
export async function memberBookingsCalendar(deps: ServiceDeps, memberId: string): Promise<string> {
  const rows = await feedRows(deps, { memberId });
  return serializeCalendar({
    productId,
    name: "Passerelle — my bookings",
    refreshMinutes,
    events: rows.map((row) => event(row, `${row.resource_name} (${row.centre_name})`)),
  });
}

/** A resource's bookings for its centre's staff: who has it when. */
export async function resourceBookingsCalendar(
  deps: ServiceDeps,
  resource: { id: string; name: string },
): Promise<string> {
  const rows = await feedRows(deps, { resourceId: resource.id });
  return serializeCalendar({
    productId,
    name: `Passerelle — ${resource.name}`,
    refreshMinutes,
    events: rows.map((row) => event(row, `${resource.name}: ${row.member_name}`)),
  });
}
