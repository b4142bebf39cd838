import type { NetworkDaysView } from "@passerelle/cloud/api-types";
import { addDays } from "@passerelle/protocol/browser";
import type { ApiClient } from "../../api/client.js";
import { lineChart } from "../../components/lineChart.js";
import { describeError } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatNumber, formatPercent, formatShortDate } from "../../format.js";
import { t } from "../../i18n/i18n.js";

const dayMs = 86_400_000;
const dayIndex = (first: string, date: string) => (Date.parse(date) - Date.parse(first)) / dayMs;

/**
 * The network's last 30 days: each centre's peak occupancy per day as a share of its capacity
 * (GET /occupancy/days), a line per centre, and the figures in a table, most recent day first.
 */
export async function networkDaysSection(api: ApiClient) {
  const heading = h("h2", { id: "days-heading" }, t("days.title"));
  let view: NetworkDaysView;
  try {
    view = await api.get<NetworkDaysView>("/occupancy/days");
  } catch (error) {
    return h(
      "section",
      { class: "card" },
      heading,
      h("p", { class: "hint" }, describeError(error)),
    );
  }
  const lastIndex = dayIndex(view.from, view.to);
  const maxRate = Math.max(0, ...view.centres.flatMap((c) => c.days.map((d) => d.rate)));
  const dates = [...(view.centres[0]?.days ?? [])].map((d) => d.date).reverse();
  return h(
    "section",
    { class: "card", "aria-labelledby": "days-heading", "data-testid": "network-days" },
    heading,
    h(
      "p",
      { class: "hint" },
      t("days.intro", { from: formatShortDate(view.from), to: formatShortDate(view.to) }),
      " ",
      t(view.source === "influxdb" ? "history.fromInflux" : "history.fromStore"),
    ),
    lineChart(
      t("days.chart"),
      view.centres.map((centre) => ({
        label: centre.name,
        points: centre.days.map((d) => ({ x: dayIndex(view.from, d.date), y: d.rate })),
      })),
      { x0: 0, x1: lastIndex, yMax: Math.max(0.25, Math.ceil(maxRate * 4) / 4) },
      (x) => formatShortDate(addDays(view.from, Math.round(x))),
      formatPercent,
    ),
    dataTable(
      t("days.caption"),
      [
        { header: t("common.date"), cell: (date: string) => formatShortDate(date) },
        ...view.centres.map((centre) => ({
          header: centre.name,
          numeric: true,
          cell: (date: string) => {
            const day = centre.days.find((d) => d.date === date);
            return day === undefined
              ? t("common.none")
              : t("days.cell", { peak: formatNumber(day.peak), rate: formatPercent(day.rate) });
          },
        })),
      ],
      dates,
      { "data-testid": "network-days-table" },
    ),
  );
}
