import { fr, type MessageKey } from "../i18n/fr.js";
import { t } from "../i18n/i18n.js";

/** The code families the console words (i18n/codeWords.fr.ts), by their message prefix. */
export type CodeFamily =
  | "eventType"
  | "reason"
  | "closeReason"
  | "exitKind"
  | "auditAction"
  | "auditOutcome"
  | "auditBroken"
  | "rounding";

/** The message key of a code, when the console has words for it. */
export function codeKey(family: CodeFamily, code: string): MessageKey | null {
  const key = `${family}.${code}`;
  return Object.hasOwn(fr, key) ? (key as MessageKey) : null;
}

/**
 * A code in words in the chosen language. A code the console does not know yet (a newer cloud
 * or gateway) is shown as it is rather than hidden: the protocol's own lists are all worded
 * (test/unit/codeWords.test.ts), so this only happens across versions.
 */
export function codeText(family: CodeFamily, code: string | null | undefined): string {
  if (code === null || code === undefined || code === "") return "";
  const key = codeKey(family, code);
  return key === null ? code : t(key);
}

/** An audit action: an admin change ("badge.revoke") or a door event ("door.held-open"). */
export function auditActionText(action: string): string {
  if (codeKey("auditAction", action) !== null) return codeText("auditAction", action);
  return codeText("eventType", action);
}

/**
 * Who did it, in words: a person by e-mail when `people` knows them, a gateway by its id, an
 * automatic job or a command-line operator by their name.
 */
export function actorText(actor: string, people: ReadonlyMap<string, string>): string {
  const colon = actor.indexOf(":");
  const kind = colon < 0 ? "" : actor.slice(0, colon);
  const id = colon < 0 ? actor : actor.slice(colon + 1);
  switch (kind) {
    case "user": {
      const email = people.get(id);
      return email === undefined ? t("actor.account", { id }) : t("actor.user", { name: email });
    }
    case "gateway":
      return t("actor.gateway", { id });
    case "system":
      return t("actor.system", { id });
    case "cli":
      return t("actor.cli", { id });
    default:
      return actor;
  }
}

/** How a centre rounds its minutes, in words ("each presence rounded up to 15 min"). */
export function roundingText(rule: { mode: string; stepMinutes: number }): string {
  const key = codeKey("rounding", rule.mode);
  return key === null ? `${rule.mode}/${rule.stepMinutes}` : t(key, { step: rule.stepMinutes });
}
