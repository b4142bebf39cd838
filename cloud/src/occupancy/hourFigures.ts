import { type HourFigure, hourMs } from "../ports/occupancyHistory.js";

/**
 * Hour figures from a head count's steps (time, count in force from then on), for every hour
 * of [fromMs, toMs): `initial` is the count in force at fromMs. Shared by both adapters, so the
 * store's sessions and InfluxDB's samples are read the same way.
 */
export function hourFiguresOfSteps(
  steps: readonly { readonly timeMs: number; readonly inside: number }[],
  fromMs: number,
  toMs: number,
  initial = 0,
): HourFigure[] {
  const sorted = [...steps].sort((a, b) => a.timeMs - b.timeMs);
  const figures: HourFigure[] = [];
  let current = initial;
  let i = 0;
  while (i < sorted.length && (sorted[i]?.timeMs ?? 0) < fromMs) {
    current = sorted[i]?.inside ?? current;
    i += 1;
  }
  for (let start = fromMs; start < toMs; start += hourMs) {
    let peak = current;
    while (i < sorted.length && (sorted[i]?.timeMs ?? 0) < start + hourMs) {
      current = sorted[i]?.inside ?? current;
      peak = Math.max(peak, current);
      i += 1;
    }
    figures.push({ hourMs: start, peak, last: current });
  }
  return figures;
}

/** Whole UTC hours: [floor(from), ceil(to)). */
export function hourRange(fromMs: number, toMs: number): { fromMs: number; toMs: number } {
  return {
    fromMs: Math.floor(fromMs / hourMs) * hourMs,
    toMs: Math.ceil(toMs / hourMs) * hourMs,
  };
}
