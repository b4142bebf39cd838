import type { AccessEventView } from "@passerelle/cloud/api-types";
import type { Page } from "../../api/client.js";
import { Directory } from "../../api/directory.js";
import { button } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { outcomeCell } from "../shared/accessEventCells.js";

/** My passages at the doors, newest first, a page at a time. */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const messages = notice();
  const rows: AccessEventView[] = [];
  let cursor: string | null = null;
  const holder = h("div");
  const more = button(t("common.more"), () => void load(), { class: "secondary" });
  const centres = new Map((await directory.listCentres()).map((c) => [c.id, c]));

  async function load() {
    try {
      const page: Page<AccessEventView> = await context.api.get("/me/access-events", {
        limit: 50,
        cursor,
      });
      rows.push(...page.items);
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      holder.replaceChildren(
        dataTable(
          t("history.caption"),
          [
            {
              header: t("history.when"),
              cell: (e) => formatDateTime(e.occurredAt, centres.get(e.centreId)?.timeZone),
            },
            {
              header: t("common.centre"),
              cell: (e) => centres.get(e.centreId)?.name ?? e.centreId,
            },
            { header: t("accessLog.door"), cell: (e) => e.doorName ?? e.doorId ?? "" },
            {
              header: t("accessLog.direction"),
              cell: (e) => (e.direction ? t(`direction.${e.direction}`) : ""),
            },
            { header: t("accessLog.outcome"), cell: outcomeCell },
          ],
          rows,
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  }

  await load();
  return h("div", {}, messages.element, holder, more);
}

export const myHistoryPage: PageDefinition = {
  path: "/history",
  title: "history.title",
  roles: ["worker"],
  render,
};
