import type { AlarmView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { centreChooser } from "./centreChooser.js";

/** A centre's alarm history, newest first: what, where, when it ended, who acknowledged, note. */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const centres = await directory.staffCentres(context.me);
  let centreId = context.query.get("centre") ?? centres[0]?.id ?? "";
  const messages = notice();
  const list = h("div");

  async function load() {
    const zone = centres.find((c) => c.id === centreId)?.timeZone ?? "Europe/Brussels";
    const page = await context.api.get<{ items: AlarmView[] }>(
      `/centres/${encodeURIComponent(centreId)}/alarms`,
      { limit: 200 },
    );
    const when = (value: string | null) => (value ? formatDateTime(value, zone) : "—");
    replaceChildren(
      list,
      dataTable(
        t("alarms.historyCaption"),
        [
          { header: t("alarms.kind"), cell: (a) => t(`alarmKind.${a.kind}`) },
          { header: t("alarms.where"), cell: (a) => a.doorId ?? a.gatewayId ?? "" },
          { header: t("alarms.raised"), cell: (a) => when(a.raisedAt) },
          { header: t("alarms.endedAt"), cell: (a) => when(a.clearedAt) },
          { header: t("alarms.acknowledgedAt"), cell: (a) => when(a.acknowledgedAt) },
          { header: t("alarms.note"), cell: (a) => a.note ?? "" },
        ],
        page.items,
        { "data-testid": "alarm-history" },
      ),
    );
  }

  const chooser = centreChooser(centres, centreId, (next) => {
    centreId = next;
    history.replaceState(null, "", `/alarms?centre=${encodeURIComponent(next)}`);
    void load().catch((error) => messages.error(error));
  });
  await load().catch((error) => messages.error(error));
  return h("div", {}, h("div", { class: "filters" }, chooser.element), messages.element, list);
}

export const alarmsPage: PageDefinition = {
  path: "/alarms",
  title: "alarms.pageTitle",
  roles: ["manager", "coordinator"],
  render,
};
