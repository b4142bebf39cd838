import type { MailMessage } from "./mailer.js";

/** The alarms worth waking someone for: a door forced open, a gateway gone silent. */
export const mailedAlarmKinds: ReadonlySet<string> = new Set(["forced-open", "gateway-offline"]);

/**
 * One alarm e-mail to a manager, English and French in one message (the manager's language is
 * not known here). Names only: no badge, no member.
 */
export function alarmMail(
  to: string,
  alarm: { kind: string; centreName: string; where: string; at: string; consoleUrl?: string },
): MailMessage {
  const what =
    alarm.kind === "forced-open"
      ? { en: "Door forced open", fr: "Porte forcée" }
      : { en: "Gateway offline", fr: "Passerelle hors ligne" };
  const link = alarm.consoleUrl === undefined ? [] : ["", alarm.consoleUrl];
  return {
    to,
    subject: `Passerelle: ${what.en} / ${what.fr} — ${alarm.centreName}`,
    text: [
      `${what.en} at ${alarm.centreName}: ${alarm.where}, ${alarm.at} (UTC).`,
      `${what.fr} à ${alarm.centreName} : ${alarm.where}, ${alarm.at} (UTC).`,
      ...link,
    ].join("\n"),
  };
}
