import { h, s } from "../dom.js";
import { formatNumber } from "../format.js";

export interface Point {
  x: number;
  y: number;
}

const width = 640;
const height = 200;
const pad = { left: 36, right: 12, top: 12, bottom: 28 };

/**
 * A line chart (today's occupancy) as inline SVG: steps, since the count changes at badge
 * events and holds in between. `title` names it for screen readers; the table next to it
 * carries the figures.
 */
export function stepChart(
  title: string,
  points: readonly Point[],
  range: { x0: number; x1: number; yMax: number },
  xLabel: (x: number) => string,
): SVGSVGElement {
  const xs = (x: number) =>
    pad.left + ((x - range.x0) / Math.max(1, range.x1 - range.x0)) * (width - pad.left - pad.right);
  const yMax = Math.max(1, range.yMax);
  const ys = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  let path = "";
  points.forEach((point, i) => {
    path += i === 0 ? `M${xs(point.x)},${ys(point.y)}` : `H${xs(point.x)}V${ys(point.y)}`;
  });
  const last = points.at(-1);
  if (last) path += `H${xs(Math.min(range.x1, Math.max(last.x, Date.now())))}`;
  const ticks = 6;
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "chart" },
    s("title", {}, title),
    [0, yMax].map((y) =>
      s(
        "text",
        { x: pad.left - 6, y: ys(y) + 4, "text-anchor": "end", class: "axis" },
        formatNumber(y),
      ),
    ),
    s("line", { x1: pad.left, x2: width - pad.right, y1: ys(yMax), y2: ys(yMax), class: "grid" }),
    s("line", { x1: pad.left, x2: width - pad.right, y1: ys(0), y2: ys(0), class: "baseline" }),
    // The last tick would be the next midnight, cut off at the edge: the axis ends without it.
    Array.from({ length: ticks }, (_, i) => {
      const x = range.x0 + ((range.x1 - range.x0) * i) / ticks;
      return s(
        "text",
        { x: xs(x), y: height - 8, "text-anchor": "middle", class: "axis" },
        xLabel(x),
      );
    }),
    path ? s("path", { d: path, class: "line" }) : null,
  );
}

export interface Bar {
  label: string;
  value: number;
}

const barWidth = 800;
const labelWidth = 250;

/** A label that fits its column: long centre names end with "…" (the table has them whole). */
function fitLabel(label: string): string {
  return label.length > 30 ? `${label.slice(0, 29)}…` : label;
}

/**
 * Horizontal bars, one per row (hours per centre, settlement per centre), drawn at their
 * natural size on a desk screen (styles.css caps the width) and scaled down on a phone.
 */
export function barChart(title: string, bars: readonly Bar[], valueLabel: (v: number) => string) {
  const rowHeight = 28;
  const chartHeight = Math.max(rowHeight, bars.length * rowHeight) + 8;
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  const span = barWidth - labelWidth - 100;
  return h(
    "figure",
    { class: "bar-chart" },
    s(
      "svg",
      {
        viewBox: `0 0 ${barWidth} ${chartHeight}`,
        role: "img",
        "aria-label": title,
        class: "chart",
      },
      s("title", {}, title),
      bars.map((bar, i) => {
        const y = 4 + i * rowHeight;
        const w = (bar.value / max) * span;
        return s(
          "g",
          {},
          s(
            "text",
            { x: labelWidth - 8, y: y + 18, "text-anchor": "end", class: "axis" },
            s("title", {}, bar.label),
            fitLabel(bar.label),
          ),
          s("rect", {
            x: labelWidth,
            y: y + 4,
            width: Math.max(1, w),
            height: rowHeight - 10,
            class: "bar",
          }),
          s("text", { x: labelWidth + w + 6, y: y + 18, class: "value" }, valueLabel(bar.value)),
        );
      }),
    ),
    h("figcaption", {}, title),
  );
}
