import { beforeEach, expect, it } from "vitest";
import { archiveCentre } from "../../src/domain/centres.js";
import type { Member } from "../../src/domain/members.js";
import { type AvailabilityPage, searchAvailability } from "../../src/reservations/availability.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { expectDomainError } from "../support/expectDomainError.js";
import {
  admin,
  at,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  type SmallCentre,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

const slotsOf = (page: AvailabilityPage, resourceId: string) =>
  page.items
    .find((item) => item.resource.id === resourceId)
    ?.slots.map((slot) => [slot.start.toISOString(), slot.end.toISOString(), slot.free]);

describeOnEngines(engines, "availability search", (harness) => {
  let deps: RecordingDeps;
  let redu: SmallCentre;
  let ann: Member;
  let bob: Member;
  const tuesday = { from: at("2026-03-03T00:00+01:00"), to: at("2026-03-04T00:00+01:00") };

  const book = (member: Member, resourceId: string, start: string, end: string) =>
    createBooking(deps, `user:${member.id}`, {
      resourceId,
      memberId: member.id,
      start: at(start),
      end: at(end),
    });

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T07:00:00Z");
    redu = await smallCentre(deps, "redu");
    ann = await memberWithPass(deps, "Ann");
    bob = await memberWithPass(deps, "Bob");
  });

  it("gives a free desk's opening hours, minus its bookings", async () => {
    await book(ann, redu.desk.id, "2026-03-03T10:00+01:00", "2026-03-03T12:00+01:00");
    const page = await searchAvailability(deps, { centreId: "redu", kind: "desk", ...tuesday });
    expect(slotsOf(page, redu.desk.id)).toEqual([
      ["2026-03-03T07:00:00.000Z", "2026-03-03T09:00:00.000Z", 1],
      ["2026-03-03T11:00:00.000Z", "2026-03-03T17:00:00.000Z", 1],
    ]);
    expect(page.next).toBeNull();
  });

  it("widens room bookings by the buffer", async () => {
    await book(ann, redu.room.id, "2026-03-03T10:00+01:00", "2026-03-03T11:00+01:00");
    const page = await searchAvailability(deps, { centreId: "redu", kind: "room", ...tuesday });
    expect(slotsOf(page, redu.room.id)).toEqual([
      ["2026-03-03T07:00:00.000Z", "2026-03-03T08:50:00.000Z", 1],
      ["2026-03-03T10:10:00.000Z", "2026-03-03T17:00:00.000Z", 1],
    ]);
  });

  it("counts free seats in a zone", async () => {
    await book(ann, redu.zone.id, "2026-03-03T09:00+01:00", "2026-03-03T12:00+01:00");
    await book(bob, redu.zone.id, "2026-03-03T11:00+01:00", "2026-03-03T13:00+01:00");
    const page = await searchAvailability(deps, { centreId: "redu", kind: "zone", ...tuesday });
    expect(slotsOf(page, redu.zone.id)).toEqual([
      ["2026-03-03T07:00:00.000Z", "2026-03-03T08:00:00.000Z", 3],
      ["2026-03-03T08:00:00.000Z", "2026-03-03T10:00:00.000Z", 2],
      ["2026-03-03T10:00:00.000Z", "2026-03-03T11:00:00.000Z", 1],
      ["2026-03-03T11:00:00.000Z", "2026-03-03T12:00:00.000Z", 2],
      ["2026-03-03T12:00:00.000Z", "2026-03-03T17:00:00.000Z", 3],
    ]);
  });

  it("never offers the past", async () => {
    deps.clock.set("2026-03-03T15:30:00Z");
    const page = await searchAvailability(deps, { centreId: "redu", kind: "desk", ...tuesday });
    expect(slotsOf(page, redu.desk.id)).toEqual([
      ["2026-03-03T15:30:00.000Z", "2026-03-03T17:00:00.000Z", 1],
    ]);
  });

  it("searches the whole network in pages, skipping archived centres", async () => {
    const liege = await smallCentre(deps, "liege");
    const spa = await smallCentre(deps, "spa");
    await archiveCentre(deps, admin, "spa");
    const first = await searchAvailability(deps, { kind: "desk", ...tuesday, limit: 1 });
    expect(first.items.map((i) => i.resource.id)).toEqual([liege.desk.id]);
    expect(first.next).toBe(liege.desk.id);
    const second = await searchAvailability(deps, {
      kind: "desk",
      ...tuesday,
      limit: 1,
      after: first.next ?? "",
    });
    expect(second.items.map((i) => i.centreId)).toEqual(["redu"]);
    expect(second.next).toBeNull();
    expect(second.items.some((i) => i.resource.id === spa.desk.id)).toBe(false);
  });

  it("refuses absurd ranges instead of computing them", async () => {
    await expectDomainError(
      searchAvailability(deps, {
        kind: "desk",
        from: at("2026-03-01T00:00Z"),
        to: at("2027-03-01T00:00Z"),
      }),
      "invalid",
      "to",
    );
    await expectDomainError(
      searchAvailability(deps, { kind: "desk", from: tuesday.to, to: tuesday.from }),
      "invalid",
      "to",
    );
    await expectDomainError(
      searchAvailability(deps, { kind: "desk", ...tuesday, limit: 10_000 }),
      "invalid",
      "limit",
    );
    await expectDomainError(
      searchAvailability(deps, { kind: "spaceship" as "desk", ...tuesday }),
      "invalid",
      "kind",
    );
    const month = await searchAvailability(deps, {
      kind: "desk",
      from: at("2026-03-02T00:00Z"),
      to: at("2026-04-02T00:00Z"),
    });
    // 23 weekdays from Monday 2 March to Wednesday 1 April 2026: one slot each.
    expect(month.items[0]?.slots).toHaveLength(23);
  });
});
