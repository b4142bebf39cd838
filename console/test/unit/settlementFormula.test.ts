import { describe, expect, it } from "vitest";
import { formatDuration, formatMonth } from "../../src/format.js";
import { settlementFormula } from "../../src/pages/coordinator/settlementSection.js";

/** Intl writes a narrow no-break space before "€" in fr-BE; compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("a settlement line's arithmetic in words (French, the default)", () => {
  it("shows the exact product and the cent it is rounded to", () => {
    // 45 min at 4,50 € an hour is 337,5 cents: half a cent up.
    expect(plain(settlementFormula(45, 450, 338))).toBe(
      "45 min × 4,50 €/h ÷ 60 = 3,375 € → 3,38 €",
    );
  });

  it("stops at the amount when no cent is rounded", () => {
    expect(plain(settlementFormula(30, 450, 225))).toBe("30 min × 4,50 €/h ÷ 60 = 2,25 €");
  });

  it("gives hours and minutes, and the minutes the product uses, past an hour", () => {
    expect(plain(settlementFormula(135, 450, 1013))).toBe(
      "2 h 15 min (135 min) × 4,50 €/h ÷ 60 = 10,125 € → 10,13 €",
    );
  });
});

describe("lengths and months in words", () => {
  it("writes a length as a person reads it", () => {
    expect(formatDuration(45)).toBe("45 min");
    expect(formatDuration(120)).toBe("2 h");
    expect(formatDuration(135)).toBe("2 h 15 min");
  });

  it("names the month in the chosen language", () => {
    expect(formatMonth("2026-03")).toBe("mars 2026");
    expect(formatMonth("not a month")).toBe("not a month");
  });
});
