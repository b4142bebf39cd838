import type { SessionView } from "@passerelle/cloud/api-types";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";

/**
 * How a stay ended, in words (never the API's code), and "to confirm" while the end a no-exit
 * rule gave it is not confirmed by a manager.
 */
export function closeReasonCell(session: Pick<SessionView, "closeReason" | "confirmed">): Node {
  return h(
    "span",
    {},
    t(`closeReason.${session.closeReason}`),
    session.confirmed
      ? null
      : h("span", { class: "badge-state warn" }, ` ${t("sessions.unconfirmed")}`),
  );
}
