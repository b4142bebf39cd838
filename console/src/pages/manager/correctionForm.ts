import type { SessionView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { field, input } from "../../components/fields.js";
import type { notice } from "../../components/notice.js";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";

/**
 * "Correct" for one session: the billable minutes and a reason, appended by the API as an
 * adjustment (refused past the edit window or in a closed month; the refusal is shown as it
 * comes). Used by a member's sessions and by the centre's unconfirmed stays.
 */
export function correctionForm(
  api: ApiClient,
  session: SessionView,
  messages: ReturnType<typeof notice>,
  reload: () => Promise<void>,
): HTMLElement {
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
            await reload();
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
