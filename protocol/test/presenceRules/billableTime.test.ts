import { describe, expect, it } from "vitest";
import { PresenceError, roundUp } from "../../src/index.js";

const minute = 60_000;

describe("roundUp (billable time per session)", () => {
  it("keeps 0 at 0 and a whole step unchanged", () => {
    expect(roundUp(0)).toBe(0);
    expect(roundUp(15 * minute)).toBe(15 * minute);
    expect(roundUp(120 * minute)).toBe(120 * minute);
  });

  it("rounds anything past a step up to the next one, by 1 ms already", () => {
    expect(roundUp(1)).toBe(15 * minute);
    expect(roundUp(15 * minute + 1)).toBe(30 * minute);
    expect(roundUp(29 * minute + 59_999)).toBe(30 * minute);
  });

  it("takes another step", () => {
    expect(roundUp(61 * minute, 30)).toBe(90 * minute);
    expect(roundUp(61 * minute, 1)).toBe(61 * minute);
  });

  it("refuses what is not a duration or not a step", () => {
    expect(() => roundUp(-1)).toThrow(PresenceError);
    expect(() => roundUp(Number.NaN)).toThrow(PresenceError);
    expect(() => roundUp(Number.POSITIVE_INFINITY)).toThrow(PresenceError);
    expect(() => roundUp(1000, 0)).toThrow(PresenceError);
    expect(() => roundUp(1000, 2.5)).toThrow(PresenceError);
  });
});
