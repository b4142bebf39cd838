import type { MonthView } from "@passerelle/cloud/api-types";
import { isClosed, isProvisional } from "../../api/reports.js";
import { field, input } from "../../components/fields.js";
import { notice, unavailableOr } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, thisMonth } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";

function previousMonth(): string {
  const [y, m] = thisMonth().split("-").map(Number);
  return m === 1 ? `${(y ?? 0) - 1}-12` : `${y}-${String((m ?? 0) - 1).padStart(2, "0")}`;
}

/**
 * Closing a month freezes its hours and settlement for good; the page says so and asks the
 * coordinator to type the month again before the button does anything.
 */
async function render(context: PageContext): Promise<Node> {
  const month = input({ type: "month", name: "month", value: previousMonth(), required: true });
  const state = h("div", { class: "card" });
  const messages = notice();

  async function show() {
    try {
      const view = await context.api.get<MonthView>(`/months/${month.value}`);
      const closed = isClosed(view);
      const confirm = input({ name: "confirm", autocomplete: "off", placeholder: view.month });
      const form = h(
        "form",
        {
          class: "filters",
          onsubmit: async (event: Event) => {
            event.preventDefault();
            if (confirm.value.trim() !== view.month) {
              messages.error(t("months.typeToConfirm", { month: view.month }));
              return;
            }
            try {
              await context.api.post(`/months/${view.month}/close`);
              messages.ok(t("months.done", { month: view.month }));
              await show();
            } catch (error) {
              messages.error(error);
            }
          },
        },
        field(t("months.confirm", { month: view.month }), confirm, t("months.warning")),
        h("button", { type: "submit", class: "danger" }, t("months.close")),
      );
      replaceChildren(
        state,
        h(
          "p",
          {},
          closed
            ? t("months.closed", {
                month: view.month,
                at: view.closedAt ? formatDateTime(view.closedAt) : "",
              })
            : isProvisional(view)
              ? t("months.provisional", { month: view.month })
              : t("months.open", { month: view.month }),
        ),
        closed || isProvisional(view) ? null : form,
      );
    } catch (error) {
      replaceChildren(state);
      messages.error(unavailableOr(error));
    }
  }

  month.addEventListener("change", () => void show());
  await show();
  return h(
    "div",
    {},
    h("div", { class: "filters" }, field(t("common.month"), month)),
    messages.element,
    state,
  );
}

export const monthsPage: PageDefinition = {
  path: "/months",
  title: "months.title",
  roles: ["coordinator"],
  render,
};
