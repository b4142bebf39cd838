import type { CentreCountView } from "../../api/views.js";
import { capacityBar } from "../../components/capacityBar.js";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";

/** The centres this person looks after, with counts; a manager of one centre goes straight in. */
async function render(context: PageContext): Promise<Node> {
  const { centres } = await context.api.get<{ centres: CentreCountView[] }>("/occupancy");
  if (centres.length === 1 && !context.me.coordinator && centres[0]) {
    context.navigate(`/board/${encodeURIComponent(centres[0].centreId)}`, true);
    return h("p", {}, t("common.loading"));
  }
  return h(
    "ul",
    { class: "grid cards" },
    centres.map((centre) =>
      h(
        "li",
        { class: "card" },
        h(
          "h2",
          {},
          h(
            "a",
            { href: `/board/${encodeURIComponent(centre.centreId)}`, "data-link": true },
            centre.name,
          ),
        ),
        capacityBar(centre.inside, centre.capacity),
        centre.alarms > 0
          ? h("p", { class: "badge-state bad" }, t("board.alarms", { count: centre.alarms }))
          : null,
      ),
    ),
  );
}

export const boardOverviewPage: PageDefinition = {
  path: "/board",
  title: "board.overview",
  roles: ["manager", "coordinator"],
  render,
};
