import { type Centre, calendarOf, centreFromRow } from "../domain/centres.js";
import { invalid } from "../domain/domainError.js";
import { freeSlots, type Interval } from "../domain/intervals.js";
import { openIntervals } from "../domain/openingHours.js";
import { type Resource, resourceFromRow } from "../domain/resources.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { instant, integer, oneOf } from "../domain/validation.js";
import type { ResourceKind } from "../store/database.js";
import { keysetPage } from "../store/keysetPage.js";
import { bookingLimits } from "./bookingLimits.js";

export interface AvailabilityQuery {
  /** One centre, or (undefined) the whole network. */
  readonly centreId?: string;
  readonly kind: ResourceKind;
  readonly from: Date | number;
  readonly to: Date | number;
  /** Resources per page (default 50, at most 500), in id order. */
  readonly limit?: number;
  /** Cursor: the previous page's `next`. */
  readonly after?: string;
}

export interface AvailableSlot {
  readonly start: Date;
  readonly end: Date;
  /** Places free throughout: 1 for a free desk or room, up to the capacity for a zone. */
  readonly free: number;
}

export interface ResourceAvailability {
  readonly resource: Resource;
  readonly centreId: string;
  readonly slots: readonly AvailableSlot[];
}

export interface AvailabilityPage {
  readonly items: readonly ResourceAvailability[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: string | null;
}

const kinds: readonly ResourceKind[] = ["desk", "zone", "room"];

/**
 * When each resource of a kind is free within [from, to): the centre's opening hours (in its
 * zone) minus confirmed bookings (widened by the room buffer for rooms), never before now. A
 * range longer than 31 days is refused, and resources come in pages, so a network-wide search
 * stays bounded work whatever the network's size.
 */
export async function searchAvailability(
  deps: ServiceDeps,
  query: AvailabilityQuery,
): Promise<AvailabilityPage> {
  const kind = oneOf("kind", query.kind, kinds);
  const from = instant("from", query.from);
  const to = instant("to", query.to);
  if (to <= from) throw invalid("to", "must be after from");
  if (to - from > bookingLimits.maxSearchMs) {
    throw invalid("to", "a search covers at most 31 days; page through longer periods");
  }
  const limit = integer("limit", query.limit ?? 50, 1, 500);
  const window: Interval = { from: Math.max(from, deps.clock.now()), to };
  const db = deps.store.db;

  let resourceQuery = db
    .selectFrom("resources")
    .innerJoin("centres", "centres.id", "resources.centre_id")
    .selectAll("resources")
    .where("resources.kind", "=", kind)
    .where("resources.archived_at", "is", null)
    .where("centres.archived_at", "is", null)
    .orderBy("resources.id")
    .limit(limit + 1);
  if (query.centreId !== undefined) {
    resourceQuery = resourceQuery.where("resources.centre_id", "=", query.centreId);
  }
  if (query.after !== undefined)
    resourceQuery = resourceQuery.where("resources.id", ">", query.after);
  const rows = await resourceQuery.execute();
  const { rows: page, next } = keysetPage(rows, limit, (last) => last.id);
  if (page.length === 0 || window.to <= window.from) {
    return { items: page.map((row) => emptyAvailability(row)), next };
  }

  const centreIds = [...new Set(page.map((row) => row.centre_id))];
  const centres = new Map<string, Centre>(
    (await db.selectFrom("centres").selectAll().where("id", "in", centreIds).execute()).map(
      (row) => [row.id, centreFromRow(row)],
    ),
  );
  const maxBufferMs =
    kind === "room"
      ? Math.max(...[...centres.values()].map((c) => c.settings.roomBufferMinutes)) * 60_000
      : 0;
  const bookings = await db
    .selectFrom("bookings")
    .select(["resource_id", "starts_at", "ends_at"])
    .where(
      "resource_id",
      "in",
      page.map((row) => row.id),
    )
    .where("status", "=", "confirmed")
    .where("starts_at", "<", window.to + maxBufferMs)
    .where("starts_at", ">", window.from - maxBufferMs - bookingLimits.maxBookingMs)
    .where("ends_at", ">", window.from - maxBufferMs)
    .execute();
  const takenByResource = new Map<string, Interval[]>();
  for (const booking of bookings) {
    const list = takenByResource.get(booking.resource_id) ?? [];
    list.push({ from: booking.starts_at, to: booking.ends_at });
    takenByResource.set(booking.resource_id, list);
  }

  const openByCentre = new Map<string, Interval[]>();
  for (const centre of centres.values()) {
    openByCentre.set(centre.id, openIntervals(calendarOf(centre), window));
  }
  const items = page.map((row) => {
    const centre = centres.get(row.centre_id);
    const bufferMs = kind === "room" ? (centre?.settings.roomBufferMinutes ?? 0) * 60_000 : 0;
    const taken = (takenByResource.get(row.id) ?? []).map((t) => ({
      from: t.from - bufferMs,
      to: t.to + bufferMs,
    }));
    const capacity = kind === "zone" ? row.capacity : 1;
    return {
      resource: resourceFromRow(row),
      centreId: row.centre_id,
      slots: freeSlots(openByCentre.get(row.centre_id) ?? [], taken, capacity).map((slot) => ({
        start: new Date(slot.from),
        end: new Date(slot.to),
        free: slot.free,
      })),
    };
  });
  return { items, next };
}

function emptyAvailability(row: Parameters<typeof resourceFromRow>[0]): ResourceAvailability {
  return { resource: resourceFromRow(row), centreId: row.centre_id, slots: [] };
}
