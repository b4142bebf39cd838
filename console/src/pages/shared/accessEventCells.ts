import type { AccessEventView } from "@passerelle/cloud/api-types";
import { h } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import { codeText } from "../../words/codeWords.js";

/** The reason in words (a `reason.…` message for each of the protocol's accessReasons). */
export function reasonText(reason: string | null): string {
  return codeText("reason", reason);
}

/** Granted or denied, in words and a marker (never colour alone), with the reason. */
export function outcomeCell(event: AccessEventView): Node | string {
  // Door and gateway events carry no decision: what happened, in words.
  if (event.outcome === null) return codeText("eventType", event.type);
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
