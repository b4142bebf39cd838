import { t } from "../../i18n/i18n.js";

/** "user:…" as the person's e-mail when the staff list gave it, else a plain word. */
export function actorName(actor: string, staffNames: Map<string, string>): string {
  if (actor.startsWith("user:")) return staffNames.get(actor.slice(5)) ?? t("people.someone");
  if (actor.startsWith("cli:")) return t("people.operator");
  return t("people.system");
}
