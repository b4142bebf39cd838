import { h, s } from "../dom.js";
import { formatNumber } from "../format.js";
import type { Point } from "./charts.js";

export interface Series {
  readonly label: string;
  readonly points: readonly Point[];
}

const width = 640;
const height = 220;
const pad = { left: 40, right: 12, top: 12, bottom: 28 };
/** Each series gets a colour and a dash pattern, so they differ without colour too. */
const seriesStyles = 6;

/**
 * Several series as straight lines in one inline SVG (this week against a typical week, the
 * centres of the network over a month), with a legend naming each line by its colour and dash.
 * `title` names it for screen readers; a table next to it carries the figures.
 */
export function lineChart(
  title: string,
  series: readonly Series[],
  range: { x0: number; x1: number; yMax: number },
  xLabel: (x: number) => string,
  yLabel: (y: number) => string = (y) => formatNumber(y),
): HTMLElement {
  const xs = (x: number) =>
    pad.left + ((x - range.x0) / Math.max(1, range.x1 - range.x0)) * (width - pad.left - pad.right);
  const yMax = range.yMax > 0 ? range.yMax : 1;
  const ys = (y: number) => height - pad.bottom - (y / yMax) * (height - pad.top - pad.bottom);
  const ticks = 6;
  const styleOf = (i: number) => `series series-${i % seriesStyles}`;
  return h(
    "figure",
    { class: "line-chart" },
    s(
      "svg",
      { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, class: "chart" },
      s("title", {}, title),
      [0, yMax].map((y) =>
        s(
          "text",
          { x: pad.left - 6, y: ys(y) + 4, "text-anchor": "end", class: "axis" },
          yLabel(y),
        ),
      ),
      s("line", { x1: pad.left, x2: width - pad.right, y1: ys(yMax), y2: ys(yMax), class: "grid" }),
      s("line", { x1: pad.left, x2: width - pad.right, y1: ys(0), y2: ys(0), class: "baseline" }),
      Array.from({ length: ticks + 1 }, (_, i) => {
        const x = range.x0 + ((range.x1 - range.x0) * i) / ticks;
        return s(
          "text",
          {
            x: xs(x),
            y: height - 8,
            "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle",
            class: "axis",
          },
          xLabel(x),
        );
      }),
      series.map((line, i) =>
        line.points.length === 0
          ? null
          : s("path", {
              d: line.points
                .map((p, j) => `${j === 0 ? "M" : "L"}${xs(p.x)},${ys(Math.min(p.y, yMax))}`)
                .join(""),
              class: styleOf(i),
            }),
      ),
    ),
    h(
      "figcaption",
      {},
      h(
        "ul",
        { class: "legend" },
        series.map((line, i) =>
          h(
            "li",
            {},
            s(
              "svg",
              { viewBox: "0 0 28 10", class: "legend-key", "aria-hidden": "true" },
              s("line", { x1: 0, x2: 28, y1: 5, y2: 5, class: styleOf(i) }),
            ),
            " ",
            line.label,
          ),
        ),
      ),
    ),
  );
}
