import { describe, expect, it } from "vitest";
import {
  covers,
  freeSlots,
  mergeIntervals,
  overlaps,
  peakOverlap,
} from "../../src/domain/intervals.js";

const i = (from: number, to: number) => ({ from, to });

describe("intervals", () => {
  it("treats intervals as half-open: touching is not overlapping", () => {
    expect(overlaps(i(9, 10), i(10, 11))).toBe(false);
    expect(overlaps(i(9, 11), i(10, 12))).toBe(true);
  });

  it("merges overlapping and touching intervals and drops empty ones", () => {
    expect(mergeIntervals([i(13, 18), i(8, 12), i(12, 13), i(20, 20)])).toEqual([i(8, 18)]);
    expect(mergeIntervals([i(8, 9), i(10, 11)])).toEqual([i(8, 9), i(10, 11)]);
  });

  it("says whether one merged interval covers another", () => {
    const open = mergeIntervals([i(8, 12), i(12, 18)]);
    expect(covers(open, i(11, 13))).toBe(true);
    expect(covers(open, i(17, 19))).toBe(false);
  });

  it("finds the peak overlap, not the number of overlapping intervals", () => {
    // 9–10 and 11–12 both overlap 9–12 but never each other: peak 1, not 2.
    expect(peakOverlap([i(9, 10), i(11, 12)], i(9, 12))).toBe(1);
    expect(peakOverlap([i(9, 11), i(10, 12), i(10, 11)], i(9, 12))).toBe(3);
    expect(peakOverlap([i(9, 10), i(10, 11)], i(9, 11))).toBe(1);
    expect(peakOverlap([i(1, 5)], i(6, 9))).toBe(0);
  });

  it("lists free places by stretch within the open hours", () => {
    expect(freeSlots([i(8, 18)], [i(9, 10), i(9, 12)], 2)).toEqual([
      { from: 8, to: 9, free: 2 },
      { from: 10, to: 12, free: 1 },
      { from: 12, to: 18, free: 2 },
    ]);
    expect(freeSlots([i(8, 12)], [i(7, 13)], 1)).toEqual([]);
  });
});
