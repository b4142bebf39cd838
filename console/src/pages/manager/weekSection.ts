import type { WeekView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { lineChart } from "../../components/lineChart.js";
import { describeError } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatNumber, formatShortDate, formatWeekday } from "../../format.js";
import { t } from "../../i18n/i18n.js";

const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

/**
 * Today against a typical day of the week: each hour's peak today and the mean of the same
 * hour on the same weekday of the previous weeks (GET /centres/{id}/occupancy/week). The table
 * lists the hours where anyone was inside, today or typically.
 */
export async function weekSection(api: ApiClient, centreId: string, name: string) {
  let view: WeekView;
  try {
    view = await api.get<WeekView>(`/centres/${encodeURIComponent(centreId)}/occupancy/week`);
  } catch (error) {
    return h(
      "section",
      { class: "card" },
      h("h2", {}, t("week.titleUnknown")),
      h("p", { class: "hint" }, describeError(error)),
    );
  }
  const weekday = formatWeekday(view.date);
  const heading = h("h2", { id: "week-heading" }, t("week.title", { weekday }));
  const today = view.hours.flatMap((hour) =>
    hour.today === null ? [] : [{ x: hour.hour, y: hour.today }],
  );
  const typical = view.hours.map((hour) => ({ x: hour.hour, y: hour.typical }));
  const busy = view.hours.filter((hour) => (hour.today ?? 0) > 0 || hour.typical > 0);
  const peak = Math.max(0, ...view.hours.map((hour) => Math.max(hour.today ?? 0, hour.typical)));
  return h(
    "section",
    { class: "card", "aria-labelledby": "week-heading", "data-testid": "week-view" },
    heading,
    h(
      "p",
      { class: "hint" },
      t("week.intro", {
        weekday,
        weeks: view.comparedDates.length,
        dates: view.comparedDates.map(formatShortDate).join(", "),
      }),
      " ",
      t(view.source === "influxdb" ? "history.fromInflux" : "history.fromStore"),
    ),
    lineChart(
      t("week.chart", { name, weekday }),
      [
        { label: t("week.today"), points: today },
        { label: t("week.typical", { weekday }), points: typical },
      ],
      { x0: 0, x1: 23, yMax: Math.max(4, Math.ceil(1.25 * peak)) },
      (x) => hourLabel(Math.round(x)),
    ),
    busy.length === 0
      ? h("p", {}, t("week.empty"))
      : dataTable(
          t("week.caption", { weekday }),
          [
            { header: t("week.hour"), cell: (hour) => hourLabel(hour.hour) },
            {
              header: t("week.today"),
              cell: (hour) => (hour.today === null ? t("common.none") : formatNumber(hour.today)),
              numeric: true,
            },
            {
              header: t("week.typical", { weekday }),
              cell: (hour) => formatNumber(hour.typical, 2),
              numeric: true,
            },
          ],
          busy,
          { "data-testid": "week-table" },
        ),
  );
}
