import { beforeEach, expect, it } from "vitest";
import { updateCentre } from "../../src/domain/centres.js";
import { createMember, type Member } from "../../src/domain/members.js";
import { archiveResource } from "../../src/domain/resources.js";
import { getBooking } from "../../src/reservations/bookings.js";
import { cancelBooking } from "../../src/reservations/cancelBooking.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { expectDomainError } from "../support/expectDomainError.js";
import {
  admin,
  at,
  everyDay8to18,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  type SmallCentre,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

describeOnEngines(engines, "booking rules", (harness) => {
  let deps: RecordingDeps;
  let redu: SmallCentre;
  let ann: Member;
  let bob: Member;
  let cy: Member;
  let dee: Member;

  // Tuesday 3 March 2026, Brussels is UTC+1.
  const book = (member: Member, resourceId: string, start: string, end: string) =>
    createBooking(deps, `user:${member.id}`, {
      resourceId,
      memberId: member.id,
      start: at(start),
      end: at(end),
    });

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T07:00:00Z");
    redu = await smallCentre(deps, "redu", everyDay8to18);
    ann = await memberWithPass(deps, "Ann");
    bob = await memberWithPass(deps, "Bob");
    cy = await memberWithPass(deps, "Cy");
    dee = await memberWithPass(deps, "Dee");
    deps.accessChanges.length = 0;
    deps.audits.length = 0;
  });

  it("books a desk, stores UTC instants, audits and tells the bundle compiler", async () => {
    const booking = await book(
      ann,
      redu.desk.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T12:00+01:00",
    );
    expect(booking).toMatchObject({
      resourceId: redu.desk.id,
      centreId: "redu",
      memberId: ann.id,
      status: "confirmed",
      createdBy: `user:${ann.id}`,
    });
    expect(booking.start.toISOString()).toBe("2026-03-03T08:00:00.000Z");
    expect(await getBooking(deps, booking.id)).toEqual(booking);
    expect(deps.accessChanges).toEqual([["redu"]]);
    expect(deps.audits.map((a) => a.action)).toEqual(["booking.create"]);
  });

  it("never books a desk twice, but allows back-to-back bookings", async () => {
    await book(ann, redu.desk.id, "2026-03-03T09:00+01:00", "2026-03-03T12:00+01:00");
    const error = await expectDomainError(
      book(bob, redu.desk.id, "2026-03-03T11:00+01:00", "2026-03-03T13:00+01:00"),
      "conflict",
      "resourceId",
    );
    expect(error.message).toMatch(/already booked/);
    await expectDomainError(
      book(bob, redu.desk.id, "2026-03-03T08:00+01:00", "2026-03-03T18:00+01:00"),
      "conflict",
    );
    await book(bob, redu.desk.id, "2026-03-03T12:00+01:00", "2026-03-03T13:00+01:00");
    await book(bob, redu.desk.id, "2026-03-03T08:00+01:00", "2026-03-03T09:00+01:00");
  });

  it("keeps the centre's room buffer free between two room bookings", async () => {
    // roomBufferMinutes defaults to 10.
    await book(ann, redu.room.id, "2026-03-03T10:00+01:00", "2026-03-03T11:00+01:00");
    await expectDomainError(
      book(bob, redu.room.id, "2026-03-03T11:05+01:00", "2026-03-03T12:00+01:00"),
      "conflict",
    );
    await expectDomainError(
      book(bob, redu.room.id, "2026-03-03T09:00+01:00", "2026-03-03T09:55+01:00"),
      "conflict",
    );
    await book(bob, redu.room.id, "2026-03-03T11:10+01:00", "2026-03-03T12:00+01:00");
    await book(cy, redu.room.id, "2026-03-03T08:00+01:00", "2026-03-03T09:50+01:00");
    // Desks have no buffer.
    await book(ann, redu.desk.id, "2026-03-03T10:00+01:00", "2026-03-03T11:00+01:00");
    await book(bob, redu.desk.id, "2026-03-03T11:00+01:00", "2026-03-03T12:00+01:00");
  });

  it("follows a changed buffer setting", async () => {
    await updateCentre(deps, admin, "redu", { settings: { roomBufferMinutes: 0 } });
    await book(ann, redu.room.id, "2026-03-03T10:00+01:00", "2026-03-03T11:00+01:00");
    await book(bob, redu.room.id, "2026-03-03T11:00+01:00", "2026-03-03T12:00+01:00");
  });

  it("fills a zone up to its capacity of overlapping bookings, counted at each instant", async () => {
    // Capacity 3. Ann and Bob do not overlap each other, so with Cy at most 2 overlap: Dee fits.
    await book(ann, redu.zone.id, "2026-03-03T09:00+01:00", "2026-03-03T11:00+01:00");
    await book(bob, redu.zone.id, "2026-03-03T13:00+01:00", "2026-03-03T15:00+01:00");
    await book(cy, redu.zone.id, "2026-03-03T08:00+01:00", "2026-03-03T18:00+01:00");
    await book(dee, redu.zone.id, "2026-03-03T10:00+01:00", "2026-03-03T14:00+01:00");
    // Now 10:00–11:00 and 13:00–14:00 hold 3: full there, free elsewhere.
    const eve = await memberWithPass(deps, "Eve");
    const error = await expectDomainError(
      book(eve, redu.zone.id, "2026-03-03T10:30+01:00", "2026-03-03T12:00+01:00"),
      "conflict",
    );
    expect(error.message).toMatch(/no seat left/);
    await book(eve, redu.zone.id, "2026-03-03T11:00+01:00", "2026-03-03T13:00+01:00");
    await expectDomainError(
      book(eve, redu.zone.id, "2026-03-03T12:00+01:00", "2026-03-03T13:30+01:00"),
      "conflict",
    );
  });

  it("refuses bookings in the past, and end before start", async () => {
    deps.clock.set("2026-03-03T12:00:00Z");
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-03T10:00+01:00", "2026-03-03T12:00+01:00"),
      "invalid",
      "start",
    );
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-04T12:00+01:00", "2026-03-04T10:00+01:00"),
      "invalid",
      "end",
    );
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-04T12:00+01:00", "2026-03-04T12:00+01:00"),
      "invalid",
      "end",
    );
    // "From now" a minute late is fine.
    await book(ann, redu.desk.id, "2026-03-03T12:59+01:00", "2026-03-03T14:00+01:00");
  });

  it("refuses bookings outside the opening hours in the centre's zone", async () => {
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-03T07:30+01:00", "2026-03-03T09:00+01:00"),
      "invalid",
      "start",
    );
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-03T17:00+01:00", "2026-03-03T18:30+01:00"),
      "invalid",
    );
    await updateCentre(deps, admin, "redu", { closedDates: ["2026-03-04"] });
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-04T09:00+01:00", "2026-03-04T10:00+01:00"),
      "invalid",
    );
  });

  it("gets opening hours right on the DST days in Brussels (2026-03-29, 2026-10-25)", async () => {
    // Spring forward: 08:00 local is 06:00Z on the 29th but 07:00Z on the 28th.
    await book(ann, redu.desk.id, "2026-03-29T06:00Z", "2026-03-29T07:00Z");
    await expectDomainError(
      book(bob, redu.desk.id, "2026-03-28T06:00Z", "2026-03-28T07:00Z"),
      "invalid",
    );
    await book(bob, redu.desk.id, "2026-03-29T15:00Z", "2026-03-29T16:00Z");
    await expectDomainError(
      book(cy, redu.desk.id, "2026-03-29T16:00Z", "2026-03-29T16:30Z"),
      "invalid",
    );
    // Fall back: 08:00 local is 07:00Z on the 25th, 06:00Z the day before.
    await book(ann, redu.desk.id, "2026-10-24T06:00Z", "2026-10-24T07:00Z");
    await expectDomainError(
      book(ann, redu.desk.id, "2026-10-25T06:00Z", "2026-10-25T07:00Z"),
      "invalid",
    );
    await book(ann, redu.desk.id, "2026-10-25T07:00Z", "2026-10-25T17:00Z");
  });

  it("refuses a member without a pass valid at that centre and time", async () => {
    const walkIn = await createMember(deps, admin, { name: "Walk", email: "walk@example.org" });
    await expectDomainError(
      book(walkIn, redu.desk.id, "2026-03-03T09:00+01:00", "2026-03-03T10:00+01:00"),
      "forbidden",
      "memberId",
    );
    // Ann's network pass ends with 2026.
    await expectDomainError(
      book(ann, redu.desk.id, "2026-12-31T17:00+01:00", "2027-01-01T10:00+01:00"),
      "invalid",
    );
  });

  it("refuses unknown and archived resources", async () => {
    await expectDomainError(
      book(ann, "no-such-desk", "2026-03-03T09:00+01:00", "2026-03-03T10:00+01:00"),
      "not-found",
      "resourceId",
    );
    await archiveResource(deps, admin, redu.desk.id);
    await expectDomainError(
      book(ann, redu.desk.id, "2026-03-03T09:00+01:00", "2026-03-03T10:00+01:00"),
      "invalid",
      "resourceId",
    );
  });

  it("frees the slot on cancellation and records who cancelled and why", async () => {
    const booking = await book(
      ann,
      redu.desk.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T12:00+01:00",
    );
    deps.accessChanges.length = 0;
    const cancelled = await cancelBooking(deps, "user:manager", booking.id, "desk broken");
    expect(cancelled).toMatchObject({
      status: "cancelled",
      cancelledBy: "user:manager",
      cancelReason: "desk broken",
    });
    expect(deps.accessChanges).toEqual([["redu"]]);
    await expectDomainError(cancelBooking(deps, admin, booking.id, "again"), "conflict");
    await book(bob, redu.desk.id, "2026-03-03T09:00+01:00", "2026-03-03T12:00+01:00");
    await expectDomainError(cancelBooking(deps, admin, "nope", "x"), "not-found");
    await expectDomainError(cancelBooking(deps, admin, booking.id, " "), "invalid", "reason");
  });

  it("refuses to cancel a booking that is over", async () => {
    const booking = await book(
      ann,
      redu.desk.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T10:00+01:00",
    );
    deps.clock.set("2026-03-03T10:00:00Z");
    await expectDomainError(cancelBooking(deps, admin, booking.id, "late"), "invalid", "bookingId");
  });
});
