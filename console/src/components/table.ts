import { type Child, h } from "../dom.js";
import { t } from "../i18n/i18n.js";

export interface Column<T> {
  header: string;
  cell(row: T): Child;
  numeric?: boolean;
}

/**
 * A table with a caption and column headers. On a phone each row becomes a small card whose
 * cells carry their column's name (styles.css); the explicit roles keep it a table for screen
 * readers, which otherwise drop table semantics once the CSS changes its display.
 */
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
      { role: "table", ...attrs },
      h("caption", {}, caption),
      h(
        "thead",
        { role: "rowgroup" },
        h(
          "tr",
          { role: "row" },
          columns.map((c) =>
            h(
              "th",
              { scope: "col", role: "columnheader", class: c.numeric ? "num" : null },
              c.header,
            ),
          ),
        ),
      ),
      h(
        "tbody",
        { role: "rowgroup" },
        rows.length === 0
          ? h(
              "tr",
              { role: "row" },
              h("td", { role: "cell", colspan: columns.length, class: "empty" }, t("table.empty")),
            )
          : rows.map((row) =>
              h(
                "tr",
                { role: "row" },
                columns.map((c) =>
                  h(
                    "td",
                    { role: "cell", "data-label": c.header, class: c.numeric ? "num" : null },
                    c.cell(row),
                  ),
                ),
              ),
            ),
      ),
    ),
  );
}
