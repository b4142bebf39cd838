import { beforeEach, expect, it } from "vitest";
import { updateCentre } from "../../src/domain/centres.js";
import type { Member } from "../../src/domain/members.js";
import { getBooking } from "../../src/reservations/bookings.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { markCheckedIn, releaseNoShows } from "../../src/reservations/noShows.js";
import {
  admin,
  at,
  centre,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  type SmallCentre,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

describeOnEngines(engines, "no-show release", (harness) => {
  let deps: RecordingDeps;
  let redu: SmallCentre;
  let ann: Member;
  let bob: Member;

  const book = (member: Member, resourceId: string, start: string, end: string) =>
    createBooking(deps, `user:${member.id}`, {
      resourceId,
      memberId: member.id,
      start: at(start),
      end: at(end),
    });

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T07:00:00Z");
    // noShowReleaseMinutes defaults to 30; booking grace to 15.
    redu = await smallCentre(deps, "redu");
    ann = await memberWithPass(deps, "Ann");
    bob = await memberWithPass(deps, "Bob");
  });

  it("releases a booking without badge-in once the delay has passed, not before", async () => {
    const booking = await book(
      ann,
      redu.desk.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T12:00+01:00",
    );
    deps.clock.set("2026-03-03T08:29:59Z");
    expect(await releaseNoShows(deps)).toEqual([]);
    deps.accessChanges.length = 0;
    deps.clock.set("2026-03-03T08:30:00Z");
    const released = await releaseNoShows(deps);
    expect(released.map((b) => b.id)).toEqual([booking.id]);
    expect(await getBooking(deps, booking.id)).toMatchObject({
      status: "released",
      cancelledBy: "system:no-show",
      cancelReason: "no-show",
    });
    expect(deps.accessChanges).toEqual([["redu"]]);
    expect(deps.audits.at(-1)).toMatchObject({
      action: "booking.release",
      actor: "system:no-show",
    });
    // The desk is free again for someone who is there.
    await book(bob, redu.desk.id, "2026-03-03T09:30+01:00", "2026-03-03T12:00+01:00");
    // Running again releases nothing twice.
    expect(await releaseNoShows(deps)).toEqual([]);
  });

  it("keeps a booking whose member badged in at that centre, even early within the grace", async () => {
    const booking = await book(
      ann,
      redu.zone.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T12:00+01:00",
    );
    // 15 minutes of grace: a badge-in at 08:50 local counts.
    expect(await markCheckedIn(deps, ann.id, "redu", at("2026-03-03T08:50+01:00"))).toBe(1);
    deps.clock.set("2026-03-03T10:00:00Z");
    expect(await releaseNoShows(deps)).toEqual([]);
    expect((await getBooking(deps, booking.id)).checkedInAt?.toISOString()).toBe(
      "2026-03-03T07:50:00.000Z",
    );
  });

  it("does not count a badge-in at another centre, or too early", async () => {
    await centre(deps, "liege");
    const booking = await book(
      ann,
      redu.desk.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T12:00+01:00",
    );
    expect(await markCheckedIn(deps, ann.id, "liege", at("2026-03-03T09:05+01:00"))).toBe(0);
    expect(await markCheckedIn(deps, ann.id, "redu", at("2026-03-03T08:30+01:00"))).toBe(0);
    expect(await markCheckedIn(deps, ann.id, "nowhere", at("2026-03-03T09:05+01:00"))).toBe(0);
    deps.clock.set("2026-03-03T08:45:00Z");
    expect((await releaseNoShows(deps)).map((b) => b.id)).toEqual([booking.id]);
  });

  it("never releases when the centre's delay is 0, and follows a changed delay", async () => {
    const booking = await book(
      ann,
      redu.desk.id,
      "2026-03-03T09:00+01:00",
      "2026-03-03T12:00+01:00",
    );
    await updateCentre(deps, admin, "redu", { settings: { noShowReleaseMinutes: 0 } });
    deps.clock.set("2026-03-03T10:00:00Z");
    expect(await releaseNoShows(deps)).toEqual([]);
    await updateCentre(deps, admin, "redu", { settings: { noShowReleaseMinutes: 90 } });
    deps.clock.set("2026-03-03T09:29:00Z");
    expect(await releaseNoShows(deps)).toEqual([]);
    deps.clock.set("2026-03-03T09:30:00Z");
    expect((await releaseNoShows(deps)).map((b) => b.id)).toEqual([booking.id]);
  });

  it("leaves bookings that are already over alone", async () => {
    await book(ann, redu.desk.id, "2026-03-03T09:00+01:00", "2026-03-03T10:00+01:00");
    deps.clock.set("2026-03-03T09:00:00Z");
    expect(await releaseNoShows(deps)).toEqual([]);
  });
});
