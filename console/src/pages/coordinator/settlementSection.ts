import type { CentreView, SettlementReportView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import type { Directory } from "../../api/directory.js";
import { barChart } from "../../components/charts.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatDuration, formatMoney, formatMonth } from "../../format.js";
import { locale, t } from "../../i18n/i18n.js";
import { roundingText } from "../../words/codeWords.js";
import { type SettledMember, settlementSessions } from "./settlementSessions.js";

type CentreLine = SettlementReportView["lines"][number];
type MemberLine = CentreLine["members"][number];

/** Cents with as many decimals as the exact product needs (up to a thousandth of a cent). */
function exactMoney(cents: number): string {
  return new Intl.NumberFormat(locale(), {
    style: "currency",
    currency: "EUR",
    minimumFractionDigits: 2,
    maximumFractionDigits: 5,
  }).format(cents / 100);
}

/**
 * The arithmetic of one line, with nothing left implicit: "2 h 15 min (135 min) × 4,50 €/h ÷ 60
 * = 10,125 € → 10,13 €". The minutes are already rounded by the centre's rule (said above the
 * table); the last step, to the cent, is shown only when it changes something.
 */
export function settlementFormula(minutes: number, rateCents: number, amountCents: number) {
  const exactCents = (minutes * rateCents) / 60;
  const time = minutes >= 60 ? `${formatDuration(minutes)} (${minutes} min)` : `${minutes} min`;
  const product = t("settlement.formula", { time, rate: formatMoney(rateCents) });
  return exactCents === amountCents
    ? `${product} = ${formatMoney(amountCents)}`
    : `${product} = ${exactMoney(exactCents)} → ${formatMoney(amountCents)}`;
}

function timeCell(line: MemberLine): string {
  const counted = formatDuration(line.minutes);
  if (line.lateMinutes === 0) return counted;
  return `${counted} ${t("settlement.late", { late: formatDuration(line.lateMinutes) })}`;
}

/** One centre's settlement: its rules in words, a line per member, their sessions on demand. */
async function centreBlock(
  api: ApiClient,
  directory: Directory,
  month: string,
  centre: CentreLine,
  info: CentreView | undefined,
): Promise<HTMLElement> {
  const name = info?.name ?? centre.centreId;
  const zone = info?.timeZone ?? "Europe/Brussels";
  const members = await Promise.all(
    centre.members.map(async (m) => ({ ...m, memberName: await directory.memberName(m.memberId) })),
  );
  const headingId = `settlement-${centre.centreId}`;
  const rules = [
    t("settlement.rate", { rate: formatMoney(centre.hourlyRateCents) }),
    centre.passRule === undefined ? t("settlement.ruleOld") : t("settlement.rule"),
    centre.rounding === undefined
      ? t("settlement.roundingOld")
      : t("settlement.rounding", { rule: roundingText(centre.rounding) }),
    t("settlement.toCent"),
  ];
  return h(
    "section",
    {
      class: "card settlement-centre",
      "aria-labelledby": headingId,
      "data-centre": centre.centreId,
    },
    h(
      "h3",
      { id: headingId },
      t("settlement.centreTotal", { name, amount: formatMoney(centre.amountCents) }),
    ),
    h(
      "ul",
      { class: "settlement-rules" },
      rules.map((rule) => h("li", {}, rule)),
    ),
    dataTable(
      t("settlement.linesOf", { name }),
      [
        { header: t("accessLog.member"), cell: (l) => l.memberName },
        { header: t("settlement.sessions"), cell: (l) => l.sessionCount, numeric: true },
        { header: t("settlement.time"), cell: timeCell, numeric: true },
        {
          header: t("settlement.calculation"),
          cell: (l) => settlementFormula(l.minutes, centre.hourlyRateCents, l.amountCents),
        },
        { header: t("reports.amount"), cell: (l) => formatMoney(l.amountCents), numeric: true },
      ],
      members,
    ),
    members.map((m) => {
      const line: SettledMember = {
        memberId: m.memberId,
        memberName: m.memberName,
        centreId: centre.centreId,
        timeZone: zone,
        month,
        paid: new Set(m.sessionIds ?? []),
      };
      return settlementSessions(api, line);
    }),
  );
}

/**
 * What the network pays each centre for a month, explained: the rule that decides which
 * sessions count, the centre's rounding, the arithmetic of each line, and the sessions behind
 * it (docs/console.md "Reports").
 */
export async function settlementSection(
  api: ApiClient,
  directory: Directory,
  month: string,
  download: () => void,
  downloadButton: (label: string, onclick: () => void) => HTMLElement,
): Promise<Node[]> {
  const answer = await api.get<SettlementReportView>("/reports/settlement", {
    month,
    detail: "sessions",
  });
  const centres = new Map((await directory.listCentres()).map((c) => [c.id, c]));
  const nameOf = (id: string) => centres.get(id)?.name ?? id;
  return [
    h(
      "p",
      { class: "total", "data-testid": "settlement-total" },
      t("settlement.networkTotal", {
        month: formatMonth(month),
        amount: formatMoney(answer.totalCents),
      }),
    ),
    barChart(
      t("reports.settlementChart", { month: formatMonth(month) }),
      answer.lines.map((l) => ({ label: nameOf(l.centreId), value: l.amountCents / 100 })),
      (v) => formatMoney(v * 100),
    ),
    dataTable(
      t("reports.settlementTable", { total: formatMoney(answer.totalCents) }),
      [
        { header: t("common.centre"), cell: (l) => nameOf(l.centreId) },
        { header: t("hours.hours"), cell: (l) => formatDuration(l.minutes), numeric: true },
        { header: t("reports.rate"), cell: (l) => formatMoney(l.hourlyRateCents), numeric: true },
        { header: t("reports.amount"), cell: (l) => formatMoney(l.amountCents), numeric: true },
      ],
      answer.lines,
    ),
    ...(await Promise.all(
      answer.lines.map((centre) =>
        centreBlock(api, directory, month, centre, centres.get(centre.centreId)),
      ),
    )),
    downloadButton(t("reports.settlementCsv"), download),
  ];
}
