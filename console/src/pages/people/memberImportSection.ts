import type { MemberImportPreviewView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { field, input } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n/i18n.js";

/** The API refuses more (docs/api.md "Importing members"); said here before the upload. */
const maxBytes = 1024 * 1024;

/**
 * Members from a CSV file: choose it, read the preview (each row, each problem by line and
 * column), then confirm. Nothing is written before the confirmation, and nothing at all while
 * any line is wrong.
 */
export function memberImportSection(api: ApiClient, imported: () => void): HTMLElement {
  const file = input({ type: "file", name: "csv", accept: ".csv,text/csv", required: true });
  const messages = notice();
  const preview = h("div", { "aria-live": "polite" });
  let text = "";

  const confirm = h("button", { type: "button", hidden: true }, t("people.importConfirm"));
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    try {
      const done = await api.post<{ created: number }>("/members/import", { csv: text });
      messages.ok(t("people.imported", { count: done.created }));
      replaceChildren(preview);
      confirm.hidden = true;
      file.value = "";
      imported();
    } catch (error) {
      messages.error(error);
    } finally {
      confirm.disabled = false;
    }
  });

  const form = h(
    "form",
    {
      class: "card filters",
      "aria-label": t("people.import"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        messages.clear();
        replaceChildren(preview);
        confirm.hidden = true;
        const chosen = file.files?.[0];
        if (chosen === undefined) return;
        if (chosen.size > maxBytes) {
          messages.error(t("people.importTooBig", { size: Math.ceil(chosen.size / 1024 / 1024) }));
          return;
        }
        text = await chosen.text();
        try {
          const answer = await api.post<MemberImportPreviewView>("/members/import/preview", {
            csv: text,
          });
          showPreview(answer);
        } catch (error) {
          messages.error(error);
        }
      },
    },
    field(t("people.importFile"), file, t("people.importHint")),
    h("button", { type: "submit" }, t("people.importPreview")),
  );

  function showPreview(answer: MemberImportPreviewView) {
    const problems = answer.problems;
    replaceChildren(
      preview,
      problems.length === 0
        ? h("p", { role: "status" }, t("people.importReady", { count: answer.rows.length }))
        : h(
            "div",
            { role: "alert" },
            h("p", {}, t("people.importProblems", { count: problems.length })),
            h(
              "ul",
              { "data-testid": "import-problems" },
              problems.map((p) =>
                h(
                  "li",
                  {},
                  p.line === 0 ? t("people.wholeFile") : t("people.line", { line: p.line }),
                  p.column ? ` · ${p.column}` : "",
                  ` — ${p.message}`,
                ),
              ),
            ),
          ),
      answer.rows.length > 0
        ? dataTable(
            t("people.importRows", { count: answer.rows.length }),
            [
              { header: t("people.lineNumber"), cell: (r) => r.line },
              { header: t("common.name"), cell: (r) => r.name },
              { header: t("common.email"), cell: (r) => r.email },
              { header: t("members.home"), cell: (r) => r.homeCentreId ?? "—" },
              { header: t("members.language"), cell: (r) => r.language },
            ],
            answer.rows,
            { "data-testid": "import-rows" },
          )
        : null,
    );
    confirm.hidden = problems.length > 0 || answer.rows.length === 0;
  }

  return h(
    "section",
    { "aria-labelledby": "import-members" },
    h("h2", { id: "import-members" }, t("people.import")),
    form,
    messages.element,
    preview,
    confirm,
  );
}
