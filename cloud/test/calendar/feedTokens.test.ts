import { beforeEach, expect, it } from "vitest";
import { memberBookingsCalendar } from "../../src/calendar/bookingFeeds.js";
import {
  issueFeedToken,
  memberOfFeedToken,
  revokeFeedToken,
} from "../../src/calendar/feedTokens.js";
import { archiveMember, type Member } from "../../src/domain/members.js";
import { cancelBooking } from "../../src/reservations/cancelBooking.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { hashToken } from "../../src/security/secrets.js";
import {
  admin,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

describeOnEngines(engines, "calendar feed tokens and feeds", (harness) => {
  let deps: RecordingDeps;
  let ann: Member;
  let bob: Member;

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T07:00:00Z");
    await smallCentre(deps, "redu");
    ann = await memberWithPass(deps, "Ann");
    bob = await memberWithPass(deps, "Bob");
  });

  it("stores only the token's hash and finds its member by it", async () => {
    const { token } = await issueFeedToken(deps, admin, ann.id);
    expect(token).toMatch(/^psrcal_[\w-]{43}$/);
    const rows = await deps.store.db.selectFrom("calendar_feeds").selectAll().execute();
    expect(rows).toEqual([
      { member_id: ann.id, token_hash: hashToken(token), created_at: deps.clock.now() },
    ]);
    expect(JSON.stringify(rows)).not.toContain(token.slice(7));
    expect(await memberOfFeedToken(deps, token)).toBe(ann.id);
    expect(deps.audits.map((a) => a.action)).toContain("calendar-feed.issue");
  });

  it("a new token replaces the old one; revoking leaves none; members do not share", async () => {
    const first = await issueFeedToken(deps, admin, ann.id);
    const second = await issueFeedToken(deps, admin, ann.id);
    const bobs = await issueFeedToken(deps, admin, bob.id);
    expect(await memberOfFeedToken(deps, first.token)).toBeUndefined();
    expect(await memberOfFeedToken(deps, second.token)).toBe(ann.id);
    expect(await memberOfFeedToken(deps, bobs.token)).toBe(bob.id);
    expect(await revokeFeedToken(deps, admin, ann.id)).toBe(true);
    expect(await revokeFeedToken(deps, admin, ann.id)).toBe(false);
    expect(await memberOfFeedToken(deps, second.token)).toBeUndefined();
    expect(await memberOfFeedToken(deps, bobs.token)).toBe(bob.id);
  });

  it("an archived member's link stops working, and none can be issued for them", async () => {
    const { token } = await issueFeedToken(deps, admin, ann.id);
    await archiveMember(deps, admin, ann.id, "left the cooperative");
    expect(await memberOfFeedToken(deps, token)).toBeUndefined();
    await expect(issueFeedToken(deps, admin, ann.id)).rejects.toMatchObject({
      code: "invalid",
      field: "memberId",
    });
  });

  it("refuses malformed tokens without a lookup error", async () => {
    for (const junk of ["", "psrcal_", "psr_abc", `psrcal_${"A".repeat(43)}`, "x".repeat(5000)]) {
      expect(await memberOfFeedToken(deps, junk)).toBeUndefined();
    }
  });

  it("a member's feed holds their bookings, cancelled ones marked, others' left out", async () => {
    const mine = await createBooking(deps, admin, {
      resourceId: "redu-desk-1",
      memberId: ann.id,
      start: Date.parse("2026-03-03T09:00:00+01:00"),
      end: Date.parse("2026-03-03T12:00:00+01:00"),
    });
    const dropped = await createBooking(deps, admin, {
      resourceId: "redu-room-a",
      memberId: ann.id,
      start: Date.parse("2026-03-04T14:00:00+01:00"),
      end: Date.parse("2026-03-04T15:00:00+01:00"),
    });
    await cancelBooking(deps, admin, dropped.id, "plans changed");
    const bobs = await createBooking(deps, admin, {
      resourceId: "redu-desk-1",
      memberId: bob.id,
      start: Date.parse("2026-03-05T09:00:00+01:00"),
      end: Date.parse("2026-03-05T10:00:00+01:00"),
    });
    const lines = (await memberBookingsCalendar(deps, ann.id)).split("\r\n");
    expect(lines).toContain(`UID:${mine.id}@passerelle`);
    expect(lines).toContain("DTSTART:20260303T080000Z");
    expect(lines).toContain("DTEND:20260303T110000Z");
    expect(lines).toContain("LOCATION:Desk 1\\, REDU");
    expect(lines).not.toContain(`UID:${bobs.id}@passerelle`);
    const cancelledAt = lines.indexOf(`UID:${dropped.id}@passerelle`);
    expect(lines.slice(cancelledAt, cancelledAt + 9)).toEqual(
      expect.arrayContaining(["STATUS:CANCELLED", "SEQUENCE:1"]),
    );
  });
});
