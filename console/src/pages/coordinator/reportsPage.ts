import type {
  HoursReportView,
  NetworkFiguresView,
  SettlementReportView,
} from "@passerelle/cloud/api-types";
import { ApiError } from "../../api/apiError.js";
import { Directory } from "../../api/directory.js";
import { barChart } from "../../components/charts.js";
import { downloadFile } from "../../components/download.js";
import { button, field, input, searchForm } from "../../components/fields.js";
import { describeError, notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatHours, formatMoney, formatNumber, thisMonth, zonedIso } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";

/** The month as the network's zone sees it: its first midnight to the next month's. */
function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number);
  const next = m === 12 ? `${(y ?? 0) + 1}-01` : `${y}-${String((m ?? 0) + 1).padStart(2, "0")}`;
  const zone = "Europe/Brussels";
  return {
    from: zonedIso(`${month}-01`, "00:00", zone),
    to: zonedIso(`${next}-01`, "00:00", zone),
  };
}

/**
 * Hours per centre, what the network pays each centre (settlement), and the network's figures
 * (users a day, occupancy) for one month, each with a chart and its table.
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
            t("reports.hoursChart", { month: m }),
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
      section(settlement, "settlement-h", t("reports.settlement"), async () => {
        const answer = await context.api.get<SettlementReportView>("/reports/settlement", {
          month: m,
        });
        const lines = answer.lines;
        const total = answer.totalCents;
        return [
          barChart(
            t("reports.settlementChart", { month: m }),
            lines.map((l) => ({
              label: nameOf(l.centreId),
              value: l.amountCents / 100,
            })),
            (v) => formatMoney(v * 100),
          ),
          dataTable(
            t("reports.settlementTable", { total: formatMoney(total) }),
            [
              { header: t("common.centre"), cell: (l) => nameOf(l.centreId) },
              {
                header: t("hours.hours"),
                cell: (l) => formatHours(l.minutes),
                numeric: true,
              },
              {
                header: t("reports.rate"),
                cell: (l) => formatMoney(l.hourlyRateCents),
                numeric: true,
              },
              {
                header: t("reports.amount"),
                cell: (l) => formatMoney(l.amountCents),
                numeric: true,
              },
            ],
            lines,
          ),
          button(
            t("reports.settlementCsv"),
            () => void csv("/reports/settlement.csv", `settlement-${m}.csv`),
            {
              class: "secondary",
            },
          ),
        ];
      }),
      coordinator
        ? section(network, "network-h", t("reports.network"), async () => {
            const lines = (
              await context.api.get<NetworkFiguresView>("/reports/network", monthRange(m))
            ).centres;
            const users = (l: (typeof lines)[number]) => l.averageDailyUsers;
            return [
              barChart(
                t("reports.networkChart", { month: m }),
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
