import type { HoursReportView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { barChart } from "../../components/charts.js";
import { field, input, searchForm } from "../../components/fields.js";
import { notice, unavailableOr } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatHours, thisMonth } from "../../format.js";
import { locale, t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";

/** Minutes per day of the month (all centres together), when the report has its days. */
function byDay(answer: HoursReportView): Node | null {
  const perDay = new Map<string, number>();
  for (const day of answer.days ?? [])
    perDay.set(day.date, (perDay.get(day.date) ?? 0) + day.minutes);
  if (perDay.size === 0) return null;
  const short = new Intl.DateTimeFormat(locale(), {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  return barChart(
    t("hours.byDay"),
    [...perDay]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, minutes]) => ({
        label: short.format(new Date(`${date}T12:00:00Z`)),
        value: minutes / 60,
      })),
    (v) => formatHours(v * 60),
  );
}

async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const month = input({ type: "month", name: "month", value: thisMonth(), required: true });
  const messages = notice();
  const output = h("div");

  async function load() {
    messages.clear();
    try {
      const answer = await context.api.get<HoursReportView>("/me/hours", { month: month.value });
      const lines = await Promise.all(
        answer.lines.map(async (line) => ({
          ...line,
          centreName: await directory.centreName(line.centreId),
        })),
      );
      const total = lines.reduce((sum, line) => sum + line.minutes, 0);
      replaceChildren(
        output,
        h("p", { class: "total" }, t("hours.total", { hours: formatHours(total) })),
        answer.status === "provisional" ? h("p", { class: "hint" }, t("hours.provisional")) : null,
        lines.length > 0
          ? barChart(
              t("hours.byCentre"),
              lines.map((l) => ({ label: l.centreName, value: l.minutes / 60 })),
              (v) => formatHours(v * 60),
            )
          : null,
        byDay(answer),
        dataTable(
          t("hours.byCentre"),
          [
            { header: t("common.centre"), cell: (l) => l.centreName },
            { header: t("hours.sessions"), cell: (l) => l.sessionCount, numeric: true },
            { header: t("hours.hours"), cell: (l) => formatHours(l.minutes), numeric: true },
          ],
          lines,
        ),
      );
    } catch (error) {
      replaceChildren(output);
      messages.error(unavailableOr(error));
    }
  }

  await load();
  return h(
    "div",
    {},
    searchForm(() => void load(), {}, field(t("common.month"), month)),
    messages.element,
    output,
    h("p", { class: "hint" }, t("hours.rounding")),
  );
}

export const myHoursPage: PageDefinition = {
  path: "/hours",
  title: "hours.title",
  roles: ["worker"],
  render,
};
