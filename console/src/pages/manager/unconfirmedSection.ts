import type { SessionView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { describeError, notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime, formatHours, formatTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import { closeReasonCell } from "./closeReasonCell.js";
import { correctionForm } from "./correctionForm.js";

/**
 * The centre's stays nobody saw end (closed by its no-exit rule), for the manager: one click
 * confirms the end the rule gave, or a correction sets the billable minutes with a reason.
 * Both within the edit window; the API refuses later ones and the refusal is shown as it comes.
 */
export async function unconfirmedSection(
  api: ApiClient,
  centreId: string,
  zone: string,
): Promise<HTMLElement> {
  const messages = notice();
  const holder = h("div");
  const names = new Map<string, Promise<string>>();
  const nameOf = (memberId: string) => {
    let name = names.get(memberId);
    if (name === undefined) {
      name = api
        .get<{ name: string }>(`/members/${encodeURIComponent(memberId)}`)
        .then((m) => m.name)
        .catch(() => memberId);
      names.set(memberId, name);
    }
    return name;
  };

  async function load() {
    const sessions = await api.all<SessionView>(
      `/centres/${encodeURIComponent(centreId)}/sessions/unconfirmed`,
      {},
      2,
    );
    const rows = await Promise.all(
      sessions.map(async (session) => ({ session, name: await nameOf(session.memberId) })),
    );
    replaceChildren(
      holder,
      rows.length === 0
        ? h("p", { class: "hint" }, t("unconfirmed.none"))
        : dataTable(
            t("unconfirmed.caption", { count: rows.length }),
            [
              { header: t("unconfirmed.member"), cell: (r) => r.name },
              {
                header: t("sessions.when"),
                cell: (r) =>
                  `${formatDateTime(r.session.start, zone)} – ${formatTime(r.session.end, zone)}`,
              },
              { header: t("sessions.end"), cell: (r) => closeReasonCell(r.session) },
              {
                header: t("hours.hours"),
                cell: (r) => formatHours(r.session.billableMinutes),
                numeric: true,
              },
              {
                header: t("unconfirmed.until"),
                cell: (r) => formatDateTime(r.session.editableUntil, zone),
              },
              { header: t("bookings.actions"), cell: (r) => actions(r.session, r.name) },
            ],
            rows,
            { "data-testid": "unconfirmed" },
          ),
    );
  }

  function actions(session: SessionView, name: string): HTMLElement {
    const confirm = h("button", { type: "button" }, t("unconfirmed.confirm"));
    confirm.setAttribute("aria-label", t("unconfirmed.confirmNamed", { name }));
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      try {
        await api.post(`/sessions/${encodeURIComponent(session.id)}/confirmation`, {});
        messages.ok(t("unconfirmed.confirmed"));
        await load();
      } catch (error) {
        messages.error(error);
        confirm.disabled = false;
      }
    });
    const correct = correctionForm(api, session, messages, load);
    return h("div", { class: "row-actions" }, confirm, correct);
  }

  try {
    await load();
  } catch (error) {
    replaceChildren(holder, h("p", { class: "hint" }, describeError(error)));
  }
  return h(
    "section",
    { "aria-labelledby": "unconfirmed-heading" },
    h("h2", { id: "unconfirmed-heading" }, t("unconfirmed.title")),
    h("p", { class: "hint" }, t("unconfirmed.intro")),
    messages.element,
    holder,
  );
}
