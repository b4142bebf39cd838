import { describe, expect, it } from "vitest";
import {
  type CentreHours,
  closingTimeAfter,
  instantOfLocal,
  PresenceError,
  zonedReading,
} from "../../src/index.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Weekdays 08:00–18:00, Saturday morning, closed on Christmas. */
const redu: CentreHours = {
  id: "redu",
  timeZone: "Europe/Brussels",
  openingHours: [
    { days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" },
    { days: [6], open: "09:00", close: "13:00" },
  ],
  closedDates: ["2026-12-25"],
};

const everyDay = (open: string, close: string, days = [1, 2, 3, 4, 5, 6, 7]): CentreHours => ({
  id: "c",
  timeZone: "Europe/Brussels",
  openingHours: [{ days, open, close }],
  closedDates: [],
});

describe("zoned time through Intl", () => {
  it("reads Brussels wall-clock time on both sides of the 2026 changes", () => {
    expect(zonedReading(at("2026-03-29T00:59:00Z"), "Europe/Brussels")).toEqual({
      date: "2026-03-29",
      weekday: 7,
      minute: 1 * 60 + 59,
    });
    expect(zonedReading(at("2026-03-29T01:00:00Z"), "Europe/Brussels").minute).toBe(3 * 60);
    expect(zonedReading(at("2026-10-25T00:30:00Z"), "Europe/Brussels").minute).toBe(2 * 60 + 30);
    expect(zonedReading(at("2026-10-25T01:30:00Z"), "Europe/Brussels").minute).toBe(2 * 60 + 30);
  });

  it("maps a local time to its instant: gap forward, repeated hour first or second", () => {
    const z = "Europe/Brussels";
    expect(iso(instantOfLocal("2026-03-29", 150, z))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(instantOfLocal("2026-03-29", 180, z))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(instantOfLocal("2026-10-25", 150, z))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(instantOfLocal("2026-10-25", 150, z, "later"))).toBe("2026-10-25T01:30:00.000Z");
    expect(iso(instantOfLocal("2026-10-24", 1440, z))).toBe("2026-10-24T22:00:00.000Z");
  });

  it("refuses a zone the runtime does not know", () => {
    expect(() => zonedReading(0, "Europe/Atlantis")).toThrow(PresenceError);
  });
});

describe("closing time of a session", () => {
  it("is the end of the opening that contains the entry, in winter and in summer", () => {
    // Monday 23 Nov 2026, 10:00 CET (UTC+1) → 18:00 CET.
    expect(iso(closingTimeAfter(at("2026-11-23T09:00:00Z"), redu))).toBe(
      "2026-11-23T17:00:00.000Z",
    );
    // Monday 15 Jun 2026, 09:00 CEST (UTC+2) → 18:00 CEST.
    expect(iso(closingTimeAfter(at("2026-06-15T07:00:00Z"), redu))).toBe(
      "2026-06-15T16:00:00.000Z",
    );
    // Saturday 28 Nov 2026, 09:00 CET → 13:00 CET; the opening instant itself is inside.
    expect(iso(closingTimeAfter(at("2026-11-28T08:00:00Z"), redu))).toBe(
      "2026-11-28T12:00:00.000Z",
    );
  });

  it("is null outside opening hours: before opening, at closing, on Sunday, on a closed date", () => {
    expect(closingTimeAfter(at("2026-11-23T06:30:00Z"), redu)).toBeNull(); // 07:30 CET
    expect(closingTimeAfter(at("2026-11-23T17:00:00Z"), redu)).toBeNull(); // 18:00 sharp
    expect(closingTimeAfter(at("2026-11-29T10:00:00Z"), redu)).toBeNull(); // Sunday
    expect(closingTimeAfter(at("2026-12-25T10:00:00Z"), redu)).toBeNull(); // Christmas, a Friday
  });

  it("follows DST on 2026-03-29: 22:00 is 21:00Z on Saturday but 20:00Z on Sunday", () => {
    const centre = everyDay("07:00", "22:00");
    expect(iso(closingTimeAfter(at("2026-03-28T09:00:00Z"), centre))).toBe(
      "2026-03-28T21:00:00.000Z",
    );
    expect(iso(closingTimeAfter(at("2026-03-29T09:00:00Z"), centre))).toBe(
      "2026-03-29T20:00:00.000Z",
    );
  });

  it("follows DST on 2026-10-25: 22:00 is 20:00Z on Saturday but 21:00Z on Sunday", () => {
    const centre = everyDay("07:00", "22:00");
    expect(iso(closingTimeAfter(at("2026-10-24T09:00:00Z"), centre))).toBe(
      "2026-10-24T20:00:00.000Z",
    );
    expect(iso(closingTimeAfter(at("2026-10-25T09:00:00Z"), centre))).toBe(
      "2026-10-25T21:00:00.000Z",
    );
  });

  it("runs an overnight opening through the DST night (6 h in spring, 8 h in autumn)", () => {
    const saturdayNight = everyDay("20:00", "03:00", [6]);
    // Sat 28 Mar 20:00 CET = 19:00Z → Sun 03:00 CEST = 01:00Z.
    expect(iso(closingTimeAfter(at("2026-03-28T19:00:00Z"), saturdayNight))).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    // Sat 24 Oct 20:00 CEST = 18:00Z → Sun 03:00 CET = 02:00Z.
    expect(iso(closingTimeAfter(at("2026-10-24T18:00:00Z"), saturdayNight))).toBe(
      "2026-10-25T02:00:00.000Z",
    );
  });

  it("reads a close inside the spring gap forward and inside the repeated hour as the first", () => {
    const untilHalfPastTwo = everyDay("20:00", "02:30", [6]);
    expect(iso(closingTimeAfter(at("2026-03-28T19:00:00Z"), untilHalfPastTwo))).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    expect(iso(closingTimeAfter(at("2026-10-24T18:00:00Z"), untilHalfPastTwo))).toBe(
      "2026-10-25T00:30:00.000Z",
    );
    // Entered at 02:10 CET, the second 02:10 of the night (01:10Z): the second 02:30 closes it.
    expect(iso(closingTimeAfter(at("2026-10-25T01:10:00Z"), untilHalfPastTwo))).toBe(
      "2026-10-25T01:30:00.000Z",
    );
  });

  it("treats touching intervals as one opening and a lunch break as a closing", () => {
    const touching: CentreHours = {
      ...redu,
      openingHours: [
        { days: [1], open: "08:00", close: "12:00" },
        { days: [1], open: "12:00", close: "18:00" },
      ],
    };
    expect(iso(closingTimeAfter(at("2026-11-23T09:00:00Z"), touching))).toBe(
      "2026-11-23T17:00:00.000Z",
    );
    const lunch: CentreHours = {
      ...redu,
      openingHours: [
        { days: [1], open: "08:00", close: "12:00" },
        { days: [1], open: "13:00", close: "18:00" },
      ],
    };
    expect(iso(closingTimeAfter(at("2026-11-23T09:00:00Z"), lunch))).toBe(
      "2026-11-23T11:00:00.000Z",
    );
    expect(iso(closingTimeAfter(at("2026-11-23T12:30:00Z"), lunch))).toBe(
      "2026-11-23T17:00:00.000Z",
    );
  });

  it("follows 24:00 into the next day unless that day is closed; around the clock never closes", () => {
    const weekend: CentreHours = {
      id: "w",
      timeZone: "Europe/Brussels",
      openingHours: [
        { days: [5], open: "08:00", close: "24:00" },
        { days: [6], open: "00:00", close: "12:00" },
      ],
      closedDates: [],
    };
    // Friday 27 Nov 10:00 CET → Saturday 12:00 CET.
    expect(iso(closingTimeAfter(at("2026-11-27T09:00:00Z"), weekend))).toBe(
      "2026-11-28T11:00:00.000Z",
    );
    const holidaySaturday = { ...weekend, closedDates: ["2026-11-28"] };
    expect(iso(closingTimeAfter(at("2026-11-27T09:00:00Z"), holidaySaturday))).toBe(
      "2026-11-27T23:00:00.000Z",
    );
    expect(closingTimeAfter(at("2026-11-27T09:00:00Z"), everyDay("00:00", "24:00"))).toBeNull();
  });

  it("works in a zone far from Europe (Pacific/Auckland, UTC+13 in November)", () => {
    const auckland: CentreHours = { ...everyDay("08:00", "18:00"), timeZone: "Pacific/Auckland" };
    // 2026-11-23 09:00 NZDT = 2026-11-22T20:00Z → 18:00 NZDT = 05:00Z on the 23rd.
    expect(iso(closingTimeAfter(at("2026-11-22T20:00:00Z"), auckland))).toBe(
      "2026-11-23T05:00:00.000Z",
    );
  });
});
