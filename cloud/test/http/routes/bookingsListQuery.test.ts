import { beforeEach, expect, it } from "vitest";
import type { Member } from "../../../src/domain/members.js";
import type { Principal } from "../../../src/http/principal.js";
import { listVisibleBookings } from "../../../src/http/routes/bookings/bookingListQuery.js";
import { createBooking } from "../../../src/reservations/createBooking.js";
import {
  admin,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  smallCentre,
} from "../../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../../support/storeEngines.js";

const engines = await provideEngines();

const principal = (over: Partial<Principal>): Principal => ({
  userId: "u",
  memberId: null,
  coordinator: false,
  managerOf: [],
  via: "session",
  ...over,
});

describeOnEngines(engines, "visible bookings query (keyset pages by start, id)", (harness) => {
  let deps: RecordingDeps;
  let ann: Member;
  let bob: Member;
  const ids: Record<string, string> = {};

  const book = async (name: string, member: Member, resourceId: string, start: string) => {
    const booking = await createBooking(deps, admin, {
      resourceId,
      memberId: member.id,
      start: Date.parse(start),
      end: Date.parse(start) + 3_600_000,
    });
    ids[name] = booking.id;
  };

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T07:00:00Z");
    await smallCentre(deps, "redu");
    await smallCentre(deps, "ciney");
    ann = await memberWithPass(deps, "Ann");
    bob = await memberWithPass(deps, "Bob");
    // Created out of start order, and three starting at the same instant (ties broken by id).
    await book("annLate", ann, "redu-desk-1", "2026-03-05T10:00:00+01:00");
    await book("annCiney", ann, "ciney-desk-1", "2026-03-03T09:00:00+01:00");
    await book("bobRoom", bob, "redu-room-a", "2026-03-03T09:00:00+01:00");
    await book("bobZone", bob, "redu-open-space", "2026-03-03T09:00:00+01:00");
    await book("bobCiney", bob, "ciney-room-a", "2026-03-04T09:00:00+01:00");
  });

  const names = (items: { id: string }[]) =>
    items.map((item) => Object.keys(ids).find((name) => ids[name] === item.id));

  it("shows a coordinator everything, a manager their centre, a worker themself, by start then id", async () => {
    const all = await listVisibleBookings(deps, principal({ coordinator: true }), { limit: 50 });
    const tied = ["annCiney", "bobRoom", "bobZone"].sort((a, b) =>
      (ids[a] ?? "") < (ids[b] ?? "") ? -1 : 1,
    );
    expect(names(all.items)).toEqual([...tied, "bobCiney", "annLate"]);
    const manager = await listVisibleBookings(deps, principal({ managerOf: ["redu"] }), {
      limit: 50,
    });
    expect(new Set(names(manager.items))).toEqual(new Set(["bobRoom", "bobZone", "annLate"]));
    const worker = await listVisibleBookings(deps, principal({ memberId: ann.id }), { limit: 50 });
    expect(new Set(names(worker.items))).toEqual(new Set(["annCiney", "annLate"]));
    // A worker who manages ciney: their own bookings anywhere and all of ciney's.
    const both = await listVisibleBookings(
      deps,
      principal({ memberId: ann.id, managerOf: ["ciney"] }),
      { limit: 50 },
    );
    expect(new Set(names(both.items))).toEqual(new Set(["annCiney", "bobCiney", "annLate"]));
  });

  it("pages with a cursor through ties without repeating or skipping, and filters", async () => {
    const coordinator = principal({ coordinator: true });
    const all = await listVisibleBookings(deps, coordinator, { limit: 50 });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await listVisibleBookings(deps, coordinator, {
        limit: 2,
        ...(cursor === undefined ? {} : { cursor }),
      });
      seen.push(...result.items.map((item) => item.id));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(all.items.map((item) => item.id));

    const window = await listVisibleBookings(deps, coordinator, {
      limit: 50,
      from: Date.parse("2026-03-04T00:00:00+01:00"),
      to: Date.parse("2026-03-05T00:00:00+01:00"),
    });
    expect(names(window.items)).toEqual(["bobCiney"]);
    const byMember = await listVisibleBookings(deps, coordinator, {
      limit: 50,
      memberId: ann.id,
      centreId: "redu",
    });
    expect(names(byMember.items)).toEqual(["annLate"]);
    const cancelled = await listVisibleBookings(deps, coordinator, {
      limit: 50,
      status: "cancelled",
    });
    expect(cancelled.items).toEqual([]);
  });
});
