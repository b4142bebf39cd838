import type { FastifyRequest } from "fastify";
import type { Mailer } from "../mail/mailer.js";

/**
 * How account links reach people: by e-mail when an SMTP relay is configured, and always shown
 * once to the inviter. `publicUrl` is the console's address as people reach it (the links in
 * e-mails); without it, the inviter's copy link uses the address of their own request.
 */
export interface AccountMailSettings {
  readonly mailer: Mailer | null;
  readonly publicUrl?: string;
}

export const noAccountMail: AccountMailSettings = { mailer: null };

/** The console page `path` with the link's token, on the public URL (or this request's origin). */
export function consoleLink(
  settings: AccountMailSettings,
  request: FastifyRequest,
  path: string,
  token: string,
): string {
  const base = settings.publicUrl ?? `${request.protocol}://${request.host}`;
  return `${base.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`;
}
