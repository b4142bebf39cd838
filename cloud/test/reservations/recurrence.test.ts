import { describe, expect, it } from "vitest";
import { expandOccurrences } from "../../src/reservations/recurrence.js";
import { expectDomainError } from "../support/expectDomainError.js";

const iso = (ms: number) => new Date(ms).toISOString();
const expand = (rrule: string, localStart = "2026-03-23T09:00", durationMinutes = 60) =>
  expandOccurrences({ rrule, localStart, timeZone: "Europe/Brussels", durationMinutes });

describe("recurrence expansion", () => {
  it("keeps a weekly 09:00 at 09:00 local across the spring DST change", () => {
    const occurrences = expand("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4");
    expect(occurrences.map((o) => iso(o.from))).toEqual([
      "2026-03-23T08:00:00.000Z",
      "2026-03-25T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-04-01T07:00:00.000Z",
    ]);
    expect(occurrences.every((o) => o.to - o.from === 3_600_000)).toBe(true);
  });

  it("keeps local time across the autumn change too", () => {
    const occurrences = expand("FREQ=DAILY;COUNT=3", "2026-10-24T09:00");
    expect(occurrences.map((o) => iso(o.from))).toEqual([
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });

  it("accepts an RRULE: prefix and UNTIL", () => {
    expect(expand("RRULE:FREQ=DAILY;UNTIL=20260326T090000")).toHaveLength(4);
  });

  it("caps occurrences at 366 and the span at a year", async () => {
    expect(expand("FREQ=DAILY;COUNT=366")).toHaveLength(366);
    await expectDomainError(() => expand("FREQ=DAILY;COUNT=367"), "invalid", "rrule");
    await expectDomainError(() => expand("FREQ=WEEKLY"), "invalid", "rrule");
    await expectDomainError(() => expand("FREQ=MONTHLY;COUNT=24"), "invalid", "rrule");
  });

  it("refuses bad rules, starts and durations with the field named", async () => {
    await expectDomainError(() => expand("FREQ=HOURLY;COUNT=3"), "invalid", "rrule");
    await expectDomainError(() => expand("FREQ=SOMETIMES"), "invalid", "rrule");
    await expectDomainError(
      () => expand("DTSTART=20260101T000000Z;FREQ=DAILY"),
      "invalid",
      "rrule",
    );
    await expectDomainError(() => expand("FREQ=DAILY;COUNT=2\nX"), "invalid", "rrule");
    await expectDomainError(
      () => expand("FREQ=DAILY;COUNT=2", "2026-03-23 09:00"),
      "invalid",
      "localStart",
    );
    await expectDomainError(
      () => expand("FREQ=DAILY;COUNT=2", "2026-02-30T09:00"),
      "invalid",
      "localStart",
    );
    await expectDomainError(
      () => expand("FREQ=DAILY;COUNT=2", "2026-03-23T09:00", 0),
      "invalid",
      "durationMinutes",
    );
  });
});
