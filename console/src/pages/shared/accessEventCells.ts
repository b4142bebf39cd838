import type { AccessEventView } from "@passerelle/cloud/api-types";
import { h } from "../../dom.js";
import { fr, type MessageKey } from "../../i18n/fr.js";
import { t } from "../../i18n/i18n.js";

/**
 * The reason in words when the console knows it (a `reason.…` message for each of the
 * protocol's accessReasons), else the API's code.
 */
export function reasonText(reason: string | null): string {
  if (reason === null) return "";
  const key = `reason.${reason}`;
  return key in fr ? t(key as MessageKey) : reason;
}

/** Granted or denied, in words and a marker (never colour alone), with the reason. */
export function outcomeCell(event: AccessEventView): Node | string {
  if (event.outcome === null) return event.type;
  const denied = event.outcome === "denied";
  return h(
    "span",
    {},
    h(
      "span",
      { class: `badge-state ${denied ? "bad" : "ok"}` },
      denied ? `✕ ${t("outcome.denied")}` : `✓ ${t("outcome.granted")}`,
    ),
    event.reason ? ` ${reasonText(event.reason)}` : "",
  );
}
