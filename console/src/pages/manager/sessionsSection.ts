import type { SessionView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import type { Directory } from "../../api/directory.js";
import { field, input } from "../../components/fields.js";
import { describeError, notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, formatHours, formatTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import { closeReasonCell } from "./closeReasonCell.js";

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
          { header: t("bookings.actions"), cell: (r) => correction(r.session) },
        ],
        rows,
        { "data-testid": "sessions" },
      ),
    );
  }

  function correction(session: SessionView): HTMLElement {
    const minutes = input({
      type: "number",
      name: "minutes",
      min: 0,
      max: 1440,
      step: 15,
      required: true,
      value: session.billableMinutes,
    });
    const reason = input({ name: "reason", required: true, maxlength: 500 });
    return h(
      "details",
      {},
      h("summary", {}, t("sessions.correct")),
      h(
        "form",
        {
          class: "filters",
          onsubmit: async (event: Event) => {
            event.preventDefault();
            try {
              await api.post(`/sessions/${encodeURIComponent(session.id)}/adjustments`, {
                minutes: Number(minutes.value),
                reason: reason.value.trim(),
              });
              messages.ok(t("sessions.done"));
              await load();
            } catch (error) {
              messages.error(error);
            }
          },
        },
        field(t("sessions.minutes"), minutes),
        field(t("badges.reason"), reason),
        h("button", { type: "submit" }, t("common.save")),
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
