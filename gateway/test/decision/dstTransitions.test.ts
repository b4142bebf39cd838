import { afterEach, describe, expect, it, vi } from "vitest";
import { decide } from "../../src/decision/decide.js";
import { LocalClock } from "../../src/decision/localTime.js";
import { bundle, credential, hashOf, indexOf } from "./bundleFixtures.js";

const wholeYear = { from: "2026-01-01T00:00:00.000Z", to: "2027-01-01T00:00:00.000Z" };
const everyDay = [1, 2, 3, 4, 5, 6, 7];

/**
 * The two Sundays Europe/Brussels changes its clocks in 2026 (EU rule: last Sunday of March and
 * of October, at 01:00 UTC). The fixture centre is closed on Sundays, so these passes carry their
 * own hours to put the hour that is skipped (March) or played twice (October) inside a window.
 */
const index = indexOf(
  bundle([
    // Sunday 03:00–04:00 local: the first hour after the spring jump.
    credential("5A", {
      passes: [{ ...wholeYear, hours: [{ days: [7], open: "03:00", close: "04:00" }] }],
    }),
    // Sunday 02:00–03:00 local: the hour that happens twice in autumn.
    credential("AA", {
      passes: [{ ...wholeYear, hours: [{ days: [7], open: "02:00", close: "03:00" }] }],
    }),
    // Every day all day, to see which local date a closed date applies to.
    credential("DA", {
      passes: [{ ...wholeYear, hours: [{ days: everyDay, open: "00:00", close: "23:59" }] }],
    }),
  ]),
);

const reason = (uid: string, when: string) =>
  decide(
    { credentialHash: hashOf(uid), doorId: "main", now: Date.parse(when), clockTrusted: true },
    index,
  ).reason;

describe("access decision on the DST transition days (Europe/Brussels)", () => {
  it("follows the spring jump of 2026-03-29, 02:00 CET → 03:00 CEST", () => {
    expect(reason("5A", "2026-03-29T00:59:00Z")).toBe("outside-window"); // 01:59 CET
    expect(reason("5A", "2026-03-29T01:00:00Z")).toBe("pass"); // 03:00 CEST
    expect(reason("5A", "2026-03-29T01:59:00Z")).toBe("pass"); // 03:59 CEST
    expect(reason("5A", "2026-03-29T02:00:00Z")).toBe("outside-window"); // 04:00 CEST
    // The Sunday before, still on CET, the same local hour is an hour later in UTC.
    expect(reason("5A", "2026-03-22T01:30:00Z")).toBe("outside-window"); // 02:30 CET
    expect(reason("5A", "2026-03-22T02:30:00Z")).toBe("pass"); // 03:30 CET
  });

  it("opens both times the hour is played on 2026-10-25, 03:00 CEST → 02:00 CET", () => {
    expect(reason("AA", "2026-10-24T23:59:00Z")).toBe("outside-window"); // 01:59 CEST
    expect(reason("AA", "2026-10-25T00:00:00Z")).toBe("pass"); // 02:00 CEST
    expect(reason("AA", "2026-10-25T00:59:00Z")).toBe("pass"); // 02:59 CEST
    expect(reason("AA", "2026-10-25T01:00:00Z")).toBe("pass"); // 02:00 CET, again
    expect(reason("AA", "2026-10-25T01:59:00Z")).toBe("pass"); // 02:59 CET
    expect(reason("AA", "2026-10-25T02:00:00Z")).toBe("outside-window"); // 03:00 CET
  });

  it("applies a closed date to the local day, not the UTC one", () => {
    expect(reason("DA", "2026-12-24T22:30:00Z")).toBe("pass"); // 23:30 on the 24th
    expect(reason("DA", "2026-12-24T23:30:00Z")).toBe("centre-closed"); // 00:30 on the 25th
    expect(reason("DA", "2026-12-25T22:30:00Z")).toBe("centre-closed"); // 23:30 on the 25th
    expect(reason("DA", "2026-12-25T23:30:00Z")).toBe("pass"); // 00:30 on the 26th
  });
});

describe("local clock", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reads the zone once per UTC minute and reuses that reading", () => {
    const clock = new LocalClock("Europe/Brussels");
    const formatToParts = vi.spyOn(Intl.DateTimeFormat.prototype, "formatToParts");
    const minute = Date.parse("2026-03-29T00:59:00Z");
    const first = clock.at(minute);
    for (let ms = 1; ms < 60_000; ms += 997) expect(clock.at(minute + ms)).toBe(first);
    expect(formatToParts).toHaveBeenCalledTimes(1);
    const next = clock.at(minute + 60_000);
    expect(formatToParts).toHaveBeenCalledTimes(2);
    expect(first).toEqual({ weekday: 7, minute: 1 * 60 + 59, date: "2026-03-29" });
    expect(next).toEqual({ weekday: 7, minute: 3 * 60, date: "2026-03-29" });
  });

  it("is right in a zone whose offset is not a whole hour", () => {
    // Asia/Kathmandu is UTC+05:45 all year.
    const clock = new LocalClock("Asia/Kathmandu");
    expect(clock.at(Date.parse("2026-06-01T18:14:59Z"))).toEqual({
      weekday: 1,
      minute: 23 * 60 + 59,
      date: "2026-06-01",
    });
    expect(clock.at(Date.parse("2026-06-01T18:15:00Z"))).toEqual({
      weekday: 2,
      minute: 0,
      date: "2026-06-02",
    });
  });
});
