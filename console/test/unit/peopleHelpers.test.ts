import { describe, expect, it } from "vitest";
import { badgeUidPattern as apiPattern } from "../../../cloud/src/http/routes/badges/badgeUidPattern.js";
import { badgeUidPattern } from "../../src/pages/people/badgeUid.js";
import { defaultSlot, seatsFree } from "../../src/pages/people/bookingDefaults.js";

describe("people pages' pure helpers", () => {
  it("the UID field's pattern is the API's and compiles as browsers compile it (v flag)", () => {
    expect(badgeUidPattern).toBe(apiPattern);
    // HTML: the pattern is anchored as ^(?:…)$ and compiled with the v flag.
    const v: string = "v";
    const html = new RegExp(`^(?:${badgeUidPattern})$`, v);
    expect(html.test("04:A1:B2:C3")).toBe(true);
    expect(html.test("04:A1:")).toBe(false);
    // The pattern this replaces is a syntax error under v: browsers ignored it.
    const before = "[0-9A-Fa-f:\\s-]{4,64}";
    expect(() => new RegExp(`^(?:${before})$`, v)).toThrow(SyntaxError);
  });

  it("the default slot is never in the past", () => {
    const at = (h: number, m: number) => new Date(2026, 2, 3, h, m);
    expect(defaultSlot(at(7, 10))).toEqual({ date: "2026-03-03", start: "09:00", end: "17:00" });
    expect(defaultSlot(at(10, 2))).toEqual({ date: "2026-03-03", start: "10:15", end: "17:00" });
    expect(defaultSlot(at(10, 15))).toEqual({ date: "2026-03-03", start: "10:30", end: "17:00" });
    expect(defaultSlot(at(16, 20))).toEqual({ date: "2026-03-04", start: "09:00", end: "17:00" });
    expect(defaultSlot(at(23, 50))).toEqual({ date: "2026-03-04", start: "09:00", end: "17:00" });
  });

  it("counts the seats free for the whole of a range", () => {
    const slot = (start: string, end: string, free: number) => ({
      start: `2026-03-03T${start}:00Z`,
      end: `2026-03-03T${end}:00Z`,
      free,
    });
    const ms = (hm: string) => Date.parse(`2026-03-03T${hm}:00Z`);
    const slots = [slot("08:00", "10:00", 5), slot("10:00", "12:00", 3), slot("12:00", "18:00", 7)];
    expect(seatsFree(slots, ms("09:00"), ms("11:00"))).toBe(3);
    expect(seatsFree(slots, ms("12:00"), ms("13:00"))).toBe(7);
    expect(seatsFree([slot("08:00", "10:00", 5)], ms("09:00"), ms("11:00"))).toBe(0);
  });
});
