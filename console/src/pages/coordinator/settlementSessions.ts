import type { SessionView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { describeError } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, formatDuration, formatTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import { codeText } from "../../words/codeWords.js";
import { monthRange } from "./monthRange.js";

export interface SettledMember {
  memberId: string;
  memberName: string;
  centreId: string;
  timeZone: string;
  month: string;
  /** The sessions the settlement pays (the API's `sessionIds`). */
  paid: ReadonlySet<string>;
}

/**
 * One member's sessions at one centre in the month, each marked counted or not, opened on
 * demand (a disclosure per settlement line): the answer to "which sessions, and why".
 */
export function settlementSessions(api: ApiClient, line: SettledMember): HTMLElement {
  const body = h("div", {}, h("p", { class: "loading" }, t("common.loading")));
  let loaded = false;
  const details = h(
    "details",
    { class: "settlement-sessions" },
    h("summary", {}, t("settlement.which", { count: line.paid.size, name: line.memberName })),
    body,
  );
  details.addEventListener("toggle", () => {
    if (!details.open || loaded) return;
    loaded = true;
    void load();
  });

  async function load() {
    try {
      const sessions = await api.all<SessionView>("/sessions", {
        memberId: line.memberId,
        centreId: line.centreId,
        ...monthRange(line.month, line.timeZone),
      });
      const zone = line.timeZone;
      replaceChildren(
        body,
        dataTable(
          t("settlement.sessionsOf", { name: line.memberName }),
          [
            {
              header: t("sessions.when"),
              cell: (s) => `${formatDateTime(s.start, zone)} – ${formatTime(s.end, zone)}`,
            },
            { header: t("sessions.end"), cell: (s) => codeText("closeReason", s.closeReason) },
            {
              header: t("settlement.actual"),
              // From its times: computedMinutes is already rounded by the centre's rule.
              cell: (s) => formatDuration((Date.parse(s.end) - Date.parse(s.start)) / 60_000),
              numeric: true,
            },
            {
              header: t("settlement.counted"),
              cell: (s) => formatDuration(s.billableMinutes),
              numeric: true,
            },
            {
              header: t("settlement.paid"),
              cell: (s) =>
                line.paid.has(s.id)
                  ? h("span", { class: "badge-state ok" }, `✓ ${t("settlement.paidYes")}`)
                  : h("span", { class: "badge-state" }, `– ${t("settlement.paidNo")}`),
            },
          ],
          [...sessions].sort((a, b) => (a.start < b.start ? -1 : 1)),
        ),
      );
    } catch (error) {
      replaceChildren(body, h("p", { role: "alert" }, describeError(error)));
    }
  }
  return details;
}
