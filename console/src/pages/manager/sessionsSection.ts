import type { SessionView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import type { Directory } from "../../api/directory.js";
import { describeError, notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, formatHours, formatTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import { closeReasonCell } from "./closeReasonCell.js";
import { correctionForm } from "./correctionForm.js";

/**
 * A member's presence sessions of the last 31 days at the centres this person sees, each
 * correctable (billable minutes and a reason). The API appends an adjustment and refuses one
 * past the edit window or in a closed month; the refusal is shown as it comes.
 */
export async function sessionsSection(
  api: ApiClient,
  directory: Directory,
  memberId: string,
): Promise<HTMLElement> {
  const messages = notice();
  const holder = h("div");

  async function load() {
    const sessions = await api.all<SessionView>(
      "/sessions",
      { memberId, from: new Date(Date.now() - 31 * 86_400_000).toISOString() },
      4,
    );
    const rows = await Promise.all(
      sessions.map(async (session) => ({
        session,
        centre: await directory.centre(session.centreId),
      })),
    );
    replaceChildren(
      holder,
      dataTable(
        t("sessions.caption"),
        [
          { header: t("common.centre"), cell: (r) => r.centre?.name ?? r.session.centreId },
          {
            header: t("sessions.when"),
            cell: (r) =>
              `${formatDateTime(r.session.start, r.centre?.timeZone)} – ${formatTime(r.session.end, r.centre?.timeZone)}`,
          },
          { header: t("sessions.end"), cell: (r) => closeReasonCell(r.session) },
          {
            header: t("hours.hours"),
            cell: (r) =>
              `${formatHours(r.session.billableMinutes)}${r.session.adjustmentId ? ` (${t("sessions.corrected")})` : ""}`,
            numeric: true,
          },
          {
            header: t("bookings.actions"),
            cell: (r) => correctionForm(api, r.session, messages, load),
          },
        ],
        rows,
        { "data-testid": "sessions" },
      ),
    );
  }

  try {
    await load();
  } catch (error) {
    replaceChildren(holder, h("p", { class: "hint" }, describeError(error)));
  }
  return h("section", {}, h("h2", {}, t("sessions.title")), messages.element, holder);
}
