import type { BookedVsUsedView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { dataTable } from "../../components/table.js";
import { h } from "../../dom.js";
import { formatHours, formatMonth, formatNumber } from "../../format.js";
import { t } from "../../i18n/i18n.js";

type Line = BookedVsUsedView["lines"][number];

/** No-shows as a share of the bookings that were not cancelled. */
function noShowRate(line: Line): string {
  if (line.bookings === 0) return "—";
  return `${formatNumber((line.noShows / line.bookings) * 100, 0)} %`;
}

/**
 * Booked against used for a month, per centre (the caller's centres): how many bookings, how
 * many the member badged in for, how many nobody came to, and the hours booked against the
 * hours of presence (booked or not).
 */
export async function bookedVsUsedSection(
  api: ApiClient,
  month: string,
  nameOf: (centreId: string) => string,
): Promise<Node[]> {
  const answer = await api.get<BookedVsUsedView>("/reports/booked-vs-used", { month });
  const lines = answer.lines;
  const total = lines.reduce(
    (sum, l) => ({ bookings: sum.bookings + l.bookings, noShows: sum.noShows + l.noShows }),
    { bookings: 0, noShows: 0 },
  );
  return [
    h(
      "p",
      { class: "total", "data-testid": "no-show-total" },
      t("usage.total", {
        month: formatMonth(month),
        bookings: total.bookings,
        noShows: total.noShows,
      }),
    ),
    dataTable(
      t("usage.table", { month: formatMonth(month) }),
      [
        { header: t("common.centre"), cell: (l) => nameOf(l.centreId) },
        { header: t("usage.bookings"), cell: (l) => l.bookings, numeric: true },
        { header: t("usage.used"), cell: (l) => l.used, numeric: true },
        { header: t("usage.noShows"), cell: (l) => l.noShows, numeric: true },
        { header: t("usage.noShowRate"), cell: noShowRate, numeric: true },
        { header: t("usage.cancelled"), cell: (l) => l.cancelled, numeric: true },
        {
          header: t("usage.bookedHours"),
          cell: (l) => formatHours(l.bookedMinutes),
          numeric: true,
        },
        {
          header: t("usage.presenceHours"),
          cell: (l) => formatHours(l.presenceMinutes),
          numeric: true,
        },
      ],
      lines,
      { "data-testid": "booked-vs-used" },
    ),
    h("p", { class: "hint" }, t("usage.hint")),
  ];
}
