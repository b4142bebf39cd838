/** A half-open interval of UTC epoch milliseconds, [from, to). */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** A stretch of time with this many places free. */
export interface FreeSlot extends Interval {
  readonly free: number;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.from < b.to && b.from < a.to;
}

/** Sorted, with overlapping and touching intervals joined. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && next.from <= last.to) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, next.to) };
    } else {
      merged.push(next);
    }
  }
  return merged;
}

export function clipIntervals(intervals: readonly Interval[], window: Interval): Interval[] {
  return intervals
    .map((i) => ({ from: Math.max(i.from, window.from), to: Math.min(i.to, window.to) }))
    .filter((i) => i.to > i.from);
}

/** True when `inner` lies entirely inside one interval of a merged list. */
export function covers(merged: readonly Interval[], inner: Interval): boolean {
  return merged.some((i) => i.from <= inner.from && inner.to <= i.to);
}

/**
 * The most intervals that overlap at any one instant inside `window` (a sweep over start and end
 * points; an interval ending exactly when another starts does not overlap it).
 */
export function peakOverlap(intervals: readonly Interval[], window: Interval): number {
  const points: Array<[number, number]> = [];
  for (const i of clipIntervals(intervals, window)) points.push([i.from, 1], [i.to, -1]);
  // Ends before starts at the same instant: [9,10) and [10,11) never count together.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of points) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

/**
 * Where `capacity` places minus the taken intervals leave at least one free, within the open
 * intervals: consecutive stretches with the same number of free places, in order.
 */
export function freeSlots(
  open: readonly Interval[],
  taken: readonly Interval[],
  capacity: number,
): FreeSlot[] {
  const slots: FreeSlot[] = [];
  for (const window of mergeIntervals(open)) {
    const cuts = new Map<number, number>([
      [window.from, 0],
      [window.to, 0],
    ]);
    for (const t of clipIntervals(taken, window)) {
      cuts.set(t.from, (cuts.get(t.from) ?? 0) + 1);
      cuts.set(t.to, (cuts.get(t.to) ?? 0) - 1);
    }
    const instants = [...cuts.keys()].sort((a, b) => a - b);
    let used = 0;
    for (let k = 0; k < instants.length - 1; k += 1) {
      const from = instants[k] as number;
      const to = instants[k + 1] as number;
      used += cuts.get(from) ?? 0;
      const free = capacity - used;
      if (free <= 0) continue;
      const last = slots.at(-1);
      if (last !== undefined && last.to === from && last.free === free) {
        slots[slots.length - 1] = { from: last.from, to, free };
      } else {
        slots.push({ from, to, free });
      }
    }
  }
  return slots;
}
