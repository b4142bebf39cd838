import { beforeEach, expect, it } from "vitest";
import { updateCentre } from "../../src/domain/centres.js";
import type { Member } from "../../src/domain/members.js";
import { listBookings } from "../../src/reservations/bookings.js";
import { cancelSeries } from "../../src/reservations/cancelBooking.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { createRecurringBookings } from "../../src/reservations/createRecurringBookings.js";
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

describeOnEngines(engines, "recurring bookings", (harness) => {
  let deps: RecordingDeps;
  let redu: SmallCentre;
  let ann: Member;
  let bob: Member;

  const series = (mode: "skip-conflicts" | "refuse-all", rrule = "FREQ=WEEKLY;BYDAY=TU;COUNT=4") =>
    createRecurringBookings(deps, `user:${ann.id}`, {
      resourceId: redu.room.id,
      memberId: ann.id,
      rrule,
      localStart: "2026-03-10T10:00",
      durationMinutes: 60,
      mode,
    });

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore(), "2026-03-02T07:00:00Z");
    redu = await smallCentre(deps, "redu");
    ann = await memberWithPass(deps, "Ann");
    bob = await memberWithPass(deps, "Bob");
    // Bob holds the room on the second Tuesday (17 March).
    await createBooking(deps, `user:${bob.id}`, {
      resourceId: redu.room.id,
      memberId: bob.id,
      start: at("2026-03-17T10:30+01:00"),
      end: at("2026-03-17T11:30+01:00"),
    });
    deps.accessChanges.length = 0;
  });

  it("skip-conflicts books the free occurrences and reports the taken one", async () => {
    const result = await series("skip-conflicts");
    expect(result.created.map((b) => b.start.toISOString())).toEqual([
      "2026-03-10T09:00:00.000Z",
      "2026-03-24T09:00:00.000Z",
      // After the DST change 10:00 local is 08:00Z.
      "2026-03-31T08:00:00.000Z",
    ]);
    expect(result.skipped).toEqual([
      {
        start: new Date("2026-03-17T09:00:00.000Z"),
        end: new Date("2026-03-17T10:00:00.000Z"),
        reason: "taken",
      },
    ]);
    expect(result.created.every((b) => b.seriesId === result.seriesId)).toBe(true);
    expect(deps.accessChanges).toEqual([["redu"]]);
  });

  it("refuse-all creates nothing and lists the conflicting occurrences", async () => {
    const error = await expectDomainError(series("refuse-all"), "conflict", "rrule");
    expect(error.detail).toEqual({
      occurrences: [
        { start: "2026-03-17T09:00:00.000Z", end: "2026-03-17T10:00:00.000Z", reason: "taken" },
      ],
    });
    expect(await listBookings(deps, { memberId: ann.id })).toEqual([]);
    const seriesRows = await deps.store.db.selectFrom("booking_series").selectAll().execute();
    expect(seriesRows).toEqual([]);
    expect(deps.accessChanges).toEqual([]);
  });

  it("refuse-all succeeds when every occurrence is free", async () => {
    const result = await series("refuse-all", "FREQ=DAILY;COUNT=3");
    expect(result.created).toHaveLength(3);
    expect(result.skipped).toEqual([]);
  });

  it("skips closed days (weekends, holidays) like conflicts, and says why", async () => {
    await updateCentre(deps, admin, "redu", { closedDates: ["2026-03-12"] });
    // Nothing taken, only closed days: bad input rather than a conflict.
    const refused = await expectDomainError(series("refuse-all", "FREQ=DAILY;COUNT=5"), "invalid");
    expect(refused.detail?.occurrences).toEqual([
      { start: "2026-03-12T09:00:00.000Z", end: "2026-03-12T10:00:00.000Z", reason: "closed" },
      { start: "2026-03-14T09:00:00.000Z", end: "2026-03-14T10:00:00.000Z", reason: "closed" },
    ]);
    const result = await series("skip-conflicts", "FREQ=DAILY;COUNT=5");
    // 10, 11, 13 March; 12 is a holiday, 14 a Saturday.
    expect(result.created).toHaveLength(3);
    expect(result.skipped.map((s) => s.reason)).toEqual(["closed", "closed"]);
  });

  it("refuses a series with no bookable occurrence at all", async () => {
    deps.clock.set("2026-06-01T00:00:00Z");
    await expectDomainError(series("skip-conflicts"), "invalid", "rrule");
  });

  it("cancels the rest of a series at once", async () => {
    const { seriesId } = await series("skip-conflicts");
    deps.clock.set("2026-03-20T00:00:00Z");
    expect(await cancelSeries(deps, `user:${ann.id}`, seriesId, "project ended")).toBe(2);
    const statuses = (await listBookings(deps, { seriesId })).map((b) => b.status);
    expect(statuses).toEqual(["confirmed", "cancelled", "cancelled"]);
  });
});
