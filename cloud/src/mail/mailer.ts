import { createTransport } from "nodemailer";
import type { Logger } from "pino";

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends e-mail; `null` where no SMTP relay is configured (links are then shown to the inviter). */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SmtpSettings {
  /** smtp://user:pass@host:587 or smtps://host:465 (nodemailer's connection URL). */
  readonly url: string;
  /** The From address, e.g. "Passerelle <no-reply@example.org>". */
  readonly from: string;
}

/** A mailer through the configured relay; failures are logged (never the link itself). */
export function smtpMailer(settings: SmtpSettings, logger: Logger): Mailer {
  const transport = createTransport(settings.url);
  const log = logger.child({ module: "cloud:mail" });
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: settings.from, ...message });
        log.info({ subject: message.subject }, "mail sent");
      } catch (error) {
        log.error({ err: error, subject: message.subject }, "mail not sent");
        throw error;
      }
    },
  };
}
