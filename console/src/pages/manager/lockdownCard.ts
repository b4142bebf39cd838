import type { ApiClient } from "../../api/client.js";
import { field, input } from "../../components/fields.js";
import type { notice } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { t } from "../../i18n/i18n.js";

interface LockdownView {
  centreId: string;
  active: boolean;
  since: string | null;
  by: string | null;
}

/**
 * The centre's lockdown: what it is now, and the one button that starts or lifts it, with a
 * reason for the audit log. Starting asks for confirmation: every member is refused at once.
 */
export async function lockdownCard(
  api: ApiClient,
  centreId: string,
  messages: ReturnType<typeof notice>,
): Promise<HTMLElement> {
  const path = `/centres/${encodeURIComponent(centreId)}/lockdown`;
  const card = h("section", {
    class: "card",
    "aria-labelledby": "lockdown-heading",
    "data-testid": "lockdown",
  });

  function draw(state: LockdownView) {
    const reason = input({ name: "lockdownReason", required: true, maxlength: 500 });
    replaceChildren(
      card,
      h("h2", { id: "lockdown-heading" }, t("lockdown.title")),
      h(
        "p",
        { class: `badge-state ${state.active ? "bad" : "ok"}`, role: "status" },
        state.active
          ? t("lockdown.active", { since: state.since ? formatDateTime(state.since) : "?" })
          : t("lockdown.inactive"),
      ),
      h("p", { class: "hint" }, t("lockdown.hint")),
      h(
        "form",
        {
          class: "filters",
          "aria-label": state.active ? t("lockdown.lift") : t("lockdown.start"),
          onsubmit: async (event: Event) => {
            event.preventDefault();
            if (!state.active && !window.confirm(t("lockdown.confirm"))) return;
            try {
              const next = await api.request("PUT", path, {
                active: !state.active,
                reason: reason.value.trim(),
              });
              const view = (await next.json()) as LockdownView;
              messages.ok(view.active ? t("lockdown.started") : t("lockdown.lifted"));
              draw(view);
            } catch (error) {
              messages.error(error);
            }
          },
        },
        field(t("doors.reason"), reason),
        h(
          "button",
          { type: "submit", class: state.active ? "" : "danger" },
          state.active ? t("lockdown.lift") : t("lockdown.start"),
        ),
      ),
    );
  }

  draw(await api.get<LockdownView>(path));
  return card;
}
