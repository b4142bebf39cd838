import { type Centre, calendarOf, loadCentre } from "../domain/centres.js";
import { invalid, notFound } from "../domain/domainError.js";
import { covers, type Interval, mergeIntervals, peakOverlap } from "../domain/intervals.js";
import { loadMember } from "../domain/members.js";
import { type CentreCalendar, isWithinOpeningHours } from "../domain/openingHours.js";
import { type Resource, resourceFromRow } from "../domain/resources.js";
import type { Executor, Store } from "../store/openStore.js";
import { bookingLimits, isInPast } from "./bookingLimits.js";

/** Everything a slot is checked against, read once per transaction. */
export interface BookingContext {
  readonly resource: Resource;
  readonly centre: Centre;
  /** Who the booking is for: one person holds one booking of a resource at a time. */
  readonly memberId: string;
  readonly calendar: CentreCalendar;
  /** Kept free before and after each booking: the centre's room buffer for rooms, else 0. */
  readonly bufferMs: number;
  /** When the member's passes (valid at this centre) let them book, merged. */
  readonly passCover: readonly Interval[];
}

/** Why one slot cannot be booked ("already-booked": the member holds one there already). */
export type SlotProblem = "past" | "closed" | "no-pass" | "already-booked" | "taken";

/**
 * Loads the resource with a row lock (PostgreSQL `FOR UPDATE`; SQLite's BEGIN IMMEDIATE already
 * holds the database), so every booking of this resource checks and inserts one at a time:
 * the check-then-insert below cannot interleave with another and double-book.
 */
export async function lockBookingContext(
  store: Store,
  trx: Executor,
  resourceId: string,
  memberId: string,
): Promise<BookingContext> {
  const row = await store
    .forUpdate(trx.selectFrom("resources").selectAll().where("id", "=", resourceId))
    .executeTakeFirst();
  if (row === undefined) throw notFound("resource", resourceId, "resourceId");
  if (row.archived_at !== null) throw invalid("resourceId", "the resource is archived");
  const centre = await loadCentre(trx, row.centre_id);
  if (centre.archivedAt !== null) throw invalid("resourceId", "the centre is archived");
  const member = await loadMember(trx, memberId);
  if (member.archivedAt !== null) throw invalid("memberId", "the member is archived");
  return {
    resource: resourceFromRow(row),
    centre,
    memberId,
    calendar: calendarOf(centre),
    bufferMs: row.kind === "room" ? centre.settings.roomBufferMinutes * 60_000 : 0,
    passCover: await passCover(trx, memberId, centre.id),
  };
}

/** Unrevoked passes valid at the centre (or network-wide), as merged validity intervals. */
async function passCover(trx: Executor, memberId: string, centreId: string): Promise<Interval[]> {
  const passes = await trx
    .selectFrom("passes")
    .select(["valid_from", "valid_to"])
    .where("member_id", "=", memberId)
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("valid_centre_id", "is", null), eb("valid_centre_id", "=", centreId)]))
    .execute();
  return mergeIntervals(passes.map((pass) => ({ from: pass.valid_from, to: pass.valid_to })));
}

/** Confirmed bookings of the resource that come within `bufferMs` of the interval. */
async function neighbours(
  trx: Executor,
  ctx: BookingContext,
  slot: Interval,
): Promise<(Interval & { memberId: string })[]> {
  const from = slot.from - ctx.bufferMs;
  const to = slot.to + ctx.bufferMs;
  const rows = await trx
    .selectFrom("bookings")
    .select(["starts_at", "ends_at", "member_id"])
    .where("resource_id", "=", ctx.resource.id)
    .where("status", "=", "confirmed")
    .where("starts_at", "<", to)
    // No booking is longer than maxBookingMs: this bound keeps the index scan short.
    .where("starts_at", ">", from - bookingLimits.maxBookingMs)
    .where("ends_at", ">", from)
    .execute();
  return rows.map((row) => ({ from: row.starts_at, to: row.ends_at, memberId: row.member_id }));
}

/**
 * The first reason this slot cannot be booked, or undefined when it can. Desks and rooms take
 * one booking at a time (rooms with the buffer around each); a zone takes bookings while fewer
 * than its capacity overlap at every instant of the slot. Whatever the kind, a member never
 * holds two overlapping bookings of one resource (two seats of a zone for one person would
 * keep a seat from someone else). Checked under the resource's lock, so two concurrent
 * requests of the same person cannot both pass.
 */
export async function slotProblem(
  trx: Executor,
  ctx: BookingContext,
  slot: Interval,
  now: number,
): Promise<SlotProblem | undefined> {
  if (isInPast(slot, now)) return "past";
  if (!isWithinOpeningHours(ctx.calendar, slot)) return "closed";
  if (!covers(ctx.passCover, slot)) return "no-pass";
  const taken = await neighbours(trx, ctx, slot);
  const mine = taken.filter(
    (b) => b.memberId === ctx.memberId && b.from < slot.to && b.to > slot.from,
  );
  if (mine.length > 0) return "already-booked";
  if (ctx.resource.kind === "zone") {
    return peakOverlap(taken, slot) >= ctx.resource.capacity ? "taken" : undefined;
  }
  return taken.length > 0 ? "taken" : undefined;
}
