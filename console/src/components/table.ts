import { type Child, h } from "../dom.js";
import { t } from "../i18n/i18n.js";

export interface Column<T> {
  header: string;
  cell(row: T): Child;
  numeric?: boolean;
}

/** A table with a caption and column headers; scrolls sideways on a phone rather than overflowing. */
export function dataTable<T>(
  caption: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  attrs: Record<string, string> = {},
): HTMLElement {
  return h(
    "div",
    { class: "table-wrap", tabindex: 0, role: "region", "aria-label": caption },
    h(
      "table",
      attrs,
      h("caption", {}, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          columns.map((c) => h("th", { scope: "col", class: c.numeric ? "num" : null }, c.header)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.length === 0
          ? h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, t("table.empty")))
          : rows.map((row) =>
              h(
                "tr",
                {},
                columns.map((c) => h("td", { class: c.numeric ? "num" : null }, c.cell(row))),
              ),
            ),
      ),
    ),
  );
}
