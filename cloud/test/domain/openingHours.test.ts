import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/domainError.js";
import {
  type CentreCalendar,
  isWithinOpeningHours,
  openIntervals,
  validateClosedDates,
  validateOpeningHours,
  validateTimeZone,
} from "../../src/domain/openingHours.js";

const brussels = (
  openingHours: CentreCalendar["openingHours"],
  closed: string[] = [],
): CentreCalendar => ({
  timeZone: "Europe/Brussels",
  openingHours,
  closedDates: new Set(closed),
});
const everyDay = brussels([{ days: [1, 2, 3, 4, 5, 6, 7], open: "08:00", close: "18:00" }]);
const allDay = brussels([{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }]);
const span = (from: string, to: string) => ({ from: Date.parse(from), to: Date.parse(to) });
const iso = (intervals: { from: number; to: number }[]) =>
  intervals.map((x) => [new Date(x.from).toISOString(), new Date(x.to).toISOString()]);

describe("opening hours in the centre's time zone", () => {
  it("places 08:00–18:00 at 07:00Z in winter and 06:00Z in summer", () => {
    expect(iso(openIntervals(everyDay, span("2026-03-28T00:00Z", "2026-03-30T00:00Z")))).toEqual([
      ["2026-03-28T07:00:00.000Z", "2026-03-28T17:00:00.000Z"],
      ["2026-03-29T06:00:00.000Z", "2026-03-29T16:00:00.000Z"],
    ]);
  });

  it("accepts 08:00 local on the spring-forward day (2026-03-29) and refuses 07:30", () => {
    expect(isWithinOpeningHours(everyDay, span("2026-03-29T06:00Z", "2026-03-29T07:00Z"))).toBe(
      true,
    );
    expect(isWithinOpeningHours(everyDay, span("2026-03-29T05:30Z", "2026-03-29T06:30Z"))).toBe(
      false,
    );
    // The same UTC hour the day before is 07:00 local: closed.
    expect(isWithinOpeningHours(everyDay, span("2026-03-28T06:00Z", "2026-03-28T07:00Z"))).toBe(
      false,
    );
  });

  it("follows the fall-back day (2026-10-25): 08:00 local is 07:00Z again", () => {
    expect(isWithinOpeningHours(everyDay, span("2026-10-25T07:00Z", "2026-10-25T08:00Z"))).toBe(
      true,
    );
    expect(isWithinOpeningHours(everyDay, span("2026-10-25T06:00Z", "2026-10-25T07:00Z"))).toBe(
      false,
    );
    expect(isWithinOpeningHours(everyDay, span("2026-10-24T06:00Z", "2026-10-24T07:00Z"))).toBe(
      true,
    );
    expect(isWithinOpeningHours(everyDay, span("2026-10-25T16:30Z", "2026-10-25T17:30Z"))).toBe(
      false,
    );
  });

  it("makes DST days 23 and 25 hours long for a centre open around the clock", () => {
    const spring = openIntervals(allDay, span("2026-03-28T23:00Z", "2026-03-29T22:00Z"));
    expect(iso(spring)).toEqual([["2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"]]);
    expect(isWithinOpeningHours(allDay, span("2026-03-28T23:00Z", "2026-03-29T22:00Z"))).toBe(true);
    expect(isWithinOpeningHours(allDay, span("2026-10-24T22:00Z", "2026-10-25T23:00Z"))).toBe(true);
  });

  it("joins back-to-back intervals and across midnight, but not a gap", () => {
    const split = brussels([
      { days: [2], open: "08:00", close: "12:00" },
      { days: [2], open: "12:00", close: "18:00" },
    ]);
    expect(isWithinOpeningHours(split, span("2026-03-03T10:00Z", "2026-03-03T12:00Z"))).toBe(true);
    const lunchBreak = brussels([
      { days: [2], open: "08:00", close: "12:00" },
      { days: [2], open: "13:00", close: "18:00" },
    ]);
    expect(isWithinOpeningHours(lunchBreak, span("2026-03-03T10:00Z", "2026-03-03T12:30Z"))).toBe(
      false,
    );
    expect(isWithinOpeningHours(allDay, span("2026-03-03T20:00Z", "2026-03-04T06:00Z"))).toBe(true);
  });

  it("stays closed on closed dates and on days without hours", () => {
    const withHoliday = brussels(everyDay.openingHours, ["2026-04-06"]);
    expect(isWithinOpeningHours(withHoliday, span("2026-04-06T08:00Z", "2026-04-06T09:00Z"))).toBe(
      false,
    );
    const weekdays = brussels([{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }]);
    // 2026-03-07 is a Saturday.
    expect(isWithinOpeningHours(weekdays, span("2026-03-07T09:00Z", "2026-03-07T10:00Z"))).toBe(
      false,
    );
  });

  it("refuses schedules that close before they open, bad zones and bad dates", () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof DomainError ? `${error.code}:${error.field}` : "other";
      }
      return "accepted";
    };
    expect(
      bad(() => validateOpeningHours("h", [{ days: [1], open: "18:00", close: "08:00" }])),
    ).toBe("invalid:h[0]");
    expect(
      bad(() => validateOpeningHours("h", [{ days: [1, 1], open: "08:00", close: "09:00" }])),
    ).toBe("invalid:h[0].days");
    expect(
      bad(() => validateOpeningHours("h", [{ days: [8], open: "08:00", close: "09:00" }])),
    ).toBe("invalid:h");
    expect(bad(() => validateOpeningHours("h", "always"))).toBe("invalid:h");
    expect(bad(() => validateTimeZone("tz", "Europe/Atlantis"))).toBe("invalid:tz");
    expect(bad(() => validateClosedDates("d", ["2026-02-30"]))).toBe("invalid:d[0]");
    expect(validateClosedDates("d", ["2026-12-25", "2026-01-01", "2026-12-25"])).toEqual([
      "2026-01-01",
      "2026-12-25",
    ]);
  });
});
