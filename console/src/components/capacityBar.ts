import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

/** Inside / capacity as a bar; the numbers are in the text too, never in the colour alone. */
export function capacityBar(inside: number, capacity: number): HTMLElement {
  const share = capacity > 0 ? Math.min(1, inside / capacity) : 0;
  // Set through the CSSOM: the console's CSP refuses inline style attributes.
  const fill = h("span");
  fill.style.width = `${(share * 100).toFixed(1)}%`;
  const level = share >= 0.9 ? "full" : share >= 0.7 ? "busy" : "calm";
  return h(
    "div",
    { class: "capacity" },
    h(
      "div",
      {
        class: `capacity-bar ${level}`,
        role: "meter",
        "aria-valuemin": 0,
        "aria-valuemax": capacity,
        "aria-valuenow": inside,
        "aria-label": t("board.insideOf", { inside, capacity }),
      },
      fill,
    ),
    h(
      "p",
      { class: "capacity-text" },
      h("strong", { "data-testid": "inside-count" }, inside),
      ` / ${capacity} `,
      t("board.people"),
    ),
  );
}
