import type { MailMessage } from "./mailer.js";

/**
 * The account e-mails, in English and French in one message: the invitee has not chosen a
 * language yet. The link is the only secret and is never logged.
 */
export function invitationMail(to: string, link: string, inviter: string): MailMessage {
  return {
    to,
    subject: "Passerelle: your invitation / votre invitation",
    text: [
      `${inviter} invites you to Passerelle. Set your password here (valid 7 days, single use):`,
      link,
      "",
      `${inviter} vous invite sur Passerelle. Choisissez votre mot de passe ici (valable 7 jours, une seule fois) :`,
      link,
    ].join("\n"),
  };
}

export function passwordResetMail(to: string, link: string): MailMessage {
  return {
    to,
    subject: "Passerelle: reset your password / réinitialiser votre mot de passe",
    text: [
      "Someone asked to reset your Passerelle password. If it was you, open this link (valid 1 hour):",
      link,
      "If it was not you, ignore this message.",
      "",
      "Quelqu'un a demandé à réinitialiser votre mot de passe Passerelle. Si c'est vous, ouvrez ce lien (valable 1 heure) :",
      link,
      "Sinon, ignorez ce message.",
    ].join("\n"),
  };
}
