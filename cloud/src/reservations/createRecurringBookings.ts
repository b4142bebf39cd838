import { uuidv7 } from "@passerelle/protocol";
import { loadCentre } from "../domain/centres.js";
import { commitChange } from "../domain/commitChange.js";
import { DomainError } from "../domain/domainError.js";
import type { Interval } from "../domain/intervals.js";
import { loadResource } from "../domain/resources.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { oneOf } from "../domain/validation.js";
import type { BookingsTable } from "../store/database.js";
import { type Booking, bookingFromRow } from "./bookings.js";
import { bookingRow } from "./createBooking.js";
import { expandOccurrences } from "./recurrence.js";
import { lockBookingContext, type SlotProblem, slotProblem } from "./slotCheck.js";

/**
 * skip-conflicts: book every free occurrence and report the others;
 * refuse-all: book all occurrences or none.
 */
export type RecurrenceMode = "skip-conflicts" | "refuse-all";

export interface RecurringBookingRequest {
  readonly resourceId: string;
  readonly memberId: string;
  /** RFC 5545 RRULE value, without DTSTART: "FREQ=WEEKLY;BYDAY=TU;COUNT=12". */
  readonly rrule: string;
  /** First occurrence, local wall-clock in the centre's zone: "2026-04-07T09:00". */
  readonly localStart: string;
  readonly durationMinutes: number;
  readonly mode: RecurrenceMode;
}

export interface SkippedOccurrence {
  readonly start: Date;
  readonly end: Date;
  readonly reason: SlotProblem;
}

export interface RecurringBookingResult {
  readonly seriesId: string;
  readonly created: readonly Booking[];
  readonly skipped: readonly SkippedOccurrence[];
}

const modes: readonly RecurrenceMode[] = ["skip-conflicts", "refuse-all"];

function refusal(skipped: readonly SkippedOccurrence[], total: number): DomainError {
  // Only other bookings make it a conflict; past, closed or unpaid occurrences are bad input.
  const code = skipped.some((s) => s.reason === "taken" || s.reason === "already-booked")
    ? "conflict"
    : "invalid";
  return new DomainError(
    code,
    `${skipped.length} of ${total} occurrences cannot be booked`,
    "rrule",
    {
      occurrences: skipped.map((s) => ({
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        reason: s.reason,
      })),
    },
  );
}

/**
 * Books a recurring series occurrence by occurrence, in one transaction holding the resource's
 * lock: each occurrence is checked like a single booking (past, opening hours, pass, overlap),
 * and sees the occurrences inserted before it. Nothing is created when no occurrence is free.
 */
export async function createRecurringBookings(
  deps: ServiceDeps,
  actor: Actor,
  request: RecurringBookingRequest,
): Promise<RecurringBookingResult> {
  const mode = oneOf("mode", request.mode, modes);
  // The zone is needed to expand the rule; read it before locking (expansion is pure CPU).
  const resource = await loadResource(deps.store.db, request.resourceId);
  const centre = await loadCentre(deps.store.db, resource.centreId);
  const occurrences: Interval[] = expandOccurrences({
    rrule: request.rrule,
    localStart: request.localStart,
    timeZone: centre.timeZone,
    durationMinutes: request.durationMinutes,
  });
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const ctx = await lockBookingContext(deps.store, trx, request.resourceId, request.memberId);
    if (ctx.centre.timeZone !== centre.timeZone) {
      throw new DomainError("conflict", "the centre's time zone changed meanwhile; retry");
    }
    const seriesId = uuidv7(now);
    const rows: BookingsTable[] = [];
    const skipped: SkippedOccurrence[] = [];
    for (const slot of occurrences) {
      const problem = await slotProblem(trx, ctx, slot, now);
      if (problem !== undefined) {
        // refuse-all goes on too, so the error lists every occurrence that cannot be booked.
        skipped.push({ start: new Date(slot.from), end: new Date(slot.to), reason: problem });
        continue;
      }
      if (rows.length === 0) {
        await trx
          .insertInto("booking_series")
          .values({
            id: seriesId,
            resource_id: ctx.resource.id,
            member_id: request.memberId,
            rrule: request.rrule.trim(),
            local_start: request.localStart,
            time_zone: ctx.centre.timeZone,
            duration_minutes: request.durationMinutes,
            created_at: now,
            created_by: actor,
          })
          .execute();
      }
      const row = bookingRow(ctx, request.memberId, slot, actor, now, seriesId);
      // Inserted at once: the next occurrence's check must see it (overlapping occurrences).
      await trx.insertInto("bookings").values(row).execute();
      rows.push(row);
    }
    // Throwing rolls back what was inserted: refuse-all leaves nothing behind.
    if ((mode === "refuse-all" && skipped.length > 0) || rows.length === 0) {
      throw refusal(skipped, occurrences.length);
    }
    return {
      result: { seriesId, created: rows.map(bookingFromRow), skipped },
      audit: [
        {
          actor,
          action: "booking.create-series",
          subject: `series:${seriesId}`,
          centre: ctx.centre.id,
          detail: {
            resource: ctx.resource.id,
            member: request.memberId,
            rrule: request.rrule.trim(),
            created: rows.length,
            skipped: skipped.length,
          },
        },
      ],
      accessChangedAt: [ctx.centre.id],
    };
  });
}
