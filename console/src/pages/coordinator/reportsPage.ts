import type { HoursReportView, NetworkFiguresView } from "@passerelle/cloud/api-types";
import { ApiError } from "../../api/apiError.js";
import { Directory } from "../../api/directory.js";
import { barChart } from "../../components/charts.js";
import { downloadFile } from "../../components/download.js";
import { button, field, input, searchForm } from "../../components/fields.js";
import { describeError, notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import {
  formatHours,
  formatMonth,
  formatNumber,
  networkTimeZone,
  thisMonth,
} from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { bookedVsUsedSection } from "./bookedVsUsedSection.js";
import { monthRange } from "./monthRange.js";
import { settlementSection } from "./settlementSection.js";

/**
 * Hours per centre, bookings against their use (no-shows), what the network pays each centre
 * (settlement, with its rules and arithmetic), and the network's figures (users a day,
 * occupancy) for one month, each with a chart and its table.
 */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const names = new Map((await directory.listCentres()).map((c) => [c.id, c.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const month = input({
    type: "month",
    name: "month",
    value: context.query.get("month") ?? thisMonth(),
  });
  const messages = notice();
  const hours = h("section", { "aria-labelledby": "hours-h" });
  const usage = h("section", { "aria-labelledby": "usage-h" });
  const settlement = h("section", { "aria-labelledby": "settlement-h" });
  const network = h("section", { "aria-labelledby": "network-h" });
  const coordinator = context.me.coordinator;

  async function section(
    holder: HTMLElement,
    id: string,
    title: string,
    build: () => Promise<Node[]>,
  ) {
    try {
      replaceChildren(holder, h("h2", { id }, title), ...(await build()));
    } catch (error) {
      const text =
        error instanceof ApiError && error.status === 404
          ? t("reports.unavailable")
          : describeError(error);
      replaceChildren(holder, h("h2", { id }, title), h("p", { class: "hint" }, text));
    }
  }

  async function load() {
    const m = month.value;
    history.replaceState(null, "", `/reports?month=${m}`);
    await Promise.all([
      section(hours, "hours-h", t("reports.hours"), async () => {
        const raw = (await context.api.get<HoursReportView>("/reports/hours", { month: m })).lines;
        // Names for a readable table; past a few hundred members the ids (and the CSV) do.
        const named = new Set(raw.map((l) => l.memberId)).size <= 200;
        const lines = await Promise.all(
          raw.map(async (l) => ({
            ...l,
            memberName: named ? await directory.memberName(l.memberId) : null,
          })),
        );
        const perCentre = new Map<string, number>();
        for (const line of lines)
          perCentre.set(line.centreId, (perCentre.get(line.centreId) ?? 0) + line.minutes);
        const rows = [...perCentre].map(([centreId, minutes]) => ({ centreId, minutes }));
        return [
          barChart(
            t("reports.hoursChart", { month: formatMonth(m) }),
            rows.map((r) => ({ label: nameOf(r.centreId), value: r.minutes / 60 })),
            (v) => formatHours(v * 60),
          ),
          dataTable(
            t("reports.hoursTable"),
            [
              { header: t("accessLog.member"), cell: (l) => l.memberName ?? l.memberId },
              { header: t("common.centre"), cell: (l) => nameOf(l.centreId) },
              { header: t("hours.sessions"), cell: (l) => l.sessionCount, numeric: true },
              { header: t("hours.hours"), cell: (l) => formatHours(l.minutes), numeric: true },
            ],
            lines,
          ),
          button(t("reports.hoursCsv"), () => void csv("/reports/hours.csv", `hours-${m}.csv`), {
            class: "secondary",
          }),
        ];
      }),
      section(usage, "usage-h", t("usage.title"), () =>
        bookedVsUsedSection(context.api, m, nameOf),
      ),
      section(settlement, "settlement-h", t("reports.settlement"), () =>
        settlementSection(
          context.api,
          directory,
          m,
          () => void csv("/reports/settlement.csv", `settlement-${m}.csv`),
          (label, onclick) => button(label, onclick, { class: "secondary" }),
        ),
      ),
      coordinator
        ? section(network, "network-h", t("reports.network"), async () => {
            const lines = (
              await context.api.get<NetworkFiguresView>(
                "/reports/network",
                monthRange(m, networkTimeZone),
              )
            ).centres;
            const users = (l: (typeof lines)[number]) => l.averageDailyUsers;
            return [
              barChart(
                t("reports.networkChart", { month: formatMonth(m) }),
                lines.map((l) => ({ label: nameOf(l.centreId), value: users(l) })),
                (v) => formatNumber(v, 2),
              ),
              dataTable(
                t("reports.networkTable"),
                [
                  { header: t("common.centre"), cell: (l) => nameOf(l.centreId) },
                  {
                    header: t("reports.usersPerDay"),
                    cell: (l) => formatNumber(users(l), 2),
                    numeric: true,
                  },
                  {
                    header: t("reports.peakUsers"),
                    cell: (l) => l.peakDailyUsers,
                    numeric: true,
                  },
                  {
                    header: t("reports.peakOccupancy"),
                    cell: (l) => l.peakOccupancy,
                    numeric: true,
                  },
                  {
                    header: t("reports.occupancy"),
                    cell: (l) => `${formatNumber(l.occupancyRate * 100, 1)} %`,
                    numeric: true,
                  },
                ],
                lines,
              ),
            ];
          })
        : Promise.resolve(),
    ]);
  }

  async function csv(path: string, filename: string) {
    try {
      await downloadFile(context.api, path, { month: month.value }, filename);
    } catch (error) {
      messages.error(error);
    }
  }

  await load();
  return h(
    "div",
    {},
    searchForm(() => void load(), {}, field(t("common.month"), month)),
    messages.element,
    hours,
    usage,
    settlement,
    coordinator ? network : null,
  );
}

export const reportsPage: PageDefinition = {
  path: "/reports",
  title: "reports.title",
  roles: ["manager", "coordinator"],
  render,
};
