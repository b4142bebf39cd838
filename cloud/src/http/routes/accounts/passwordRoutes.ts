import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { changeOwnPassword, signOutEverywhere } from "../../../accounts/ownAccount.js";
import { requestPasswordReset, resetPassword } from "../../../accounts/passwordReset.js";
import { issueToken } from "../../../domain/authTokens.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { passwordResetMail } from "../../../mail/accountMails.js";
import { type AccountMailSettings, consoleLink } from "../../accountMailSettings.js";
import { principalOf } from "../../plugins/accessControl.js";
import { PasswordField, SessionView, TokenField } from "./accountViews.js";
import { WindowLimiter } from "./windowLimiter.js";

const resetAnswer = {
  message: "if this address has a login, a reset link is on its way",
};

/** Forgotten password (by e-mail), password change, and signing out of every session. */
export const passwordRoutes: FastifyPluginAsyncTypebox<{
  deps: ServiceDeps;
  mail: AccountMailSettings;
}> = async (app, { deps, mail }) => {
  const log = deps.logger.child({ module: "cloud:accounts" });
  // One address, one bucket (and one client): 5 reset links in 15 minutes is plenty for a person.
  const resetRequests = new WindowLimiter(deps.clock, 5, 15 * 60_000);
  const linkUses = new WindowLimiter(deps.clock, 10, 60_000);
  const passwordChanges = new WindowLimiter(deps.clock, 10, 60_000);

  app.post(
    "/auth/password-reset",
    {
      schema: {
        tags: ["auth"],
        summary: "Ask for a password reset link by e-mail (same answer for every address)",
        security: [],
        body: Type.Object(
          { email: Type.String({ minLength: 3, maxLength: 254 }) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ message: Type.String() }) },
      },
      config: { access: "public" },
    },
    async (request, reply) => {
      resetRequests.take(`${request.ip}|${request.body.email.trim().toLowerCase()}`, reply);
      const mailer = mail.mailer;
      if (mailer === null || mail.publicUrl === undefined) {
        // Without a relay there is no way to prove the address: a coordinator resets instead.
        log.warn("password reset asked but no SMTP relay is configured");
        return reply.status(202).send(resetAnswer);
      }
      const found = await requestPasswordReset(deps, request.body.email);
      if (found !== undefined) {
        const link = consoleLink(mail, request, "/reset-password", found.token);
        // Not awaited: the answer's timing must not tell whether a mail was sent.
        mailer.send(passwordResetMail(found.email, link)).catch(() => undefined);
      }
      return reply.status(202).send(resetAnswer);
    },
  );

  app.post(
    "/auth/password-reset/confirm",
    {
      schema: {
        tags: ["auth"],
        summary: "Set a new password with a reset link's token; every session ends",
        security: [],
        body: Type.Object(
          { token: TokenField, password: PasswordField },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ email: Type.String() }) },
      },
      config: { access: "public" },
    },
    async (request, reply) => {
      linkUses.take(request.ip, reply);
      return resetPassword(deps, request.body.token, request.body.password);
    },
  );

  app.post(
    "/me/password",
    {
      schema: {
        tags: ["auth"],
        summary: "Change my password; every session ends and a new one is returned",
        body: Type.Object(
          { currentPassword: PasswordField, newPassword: PasswordField },
          { additionalProperties: false },
        ),
        response: { 200: SessionView },
      },
      config: { access: "authenticated" },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      passwordChanges.take(userId, reply);
      await changeOwnPassword(deps, userId, request.body.currentPassword, request.body.newPassword);
      const { token, record } = await issueToken(deps, `user:${userId}`, {
        userId,
        kind: "session",
        name: "login",
      });
      return { token, expiresAt: (record.expiresAt as Date).toISOString() };
    },
  );

  app.post(
    "/me/sign-out-everywhere",
    {
      schema: {
        tags: ["auth"],
        summary: "End every session of my login, this one included (API tokens stay)",
        response: { 200: Type.Object({ sessionsEnded: Type.Integer() }) },
      },
      config: { access: "authenticated" },
    },
    async (request) => ({
      sessionsEnded: await signOutEverywhere(deps, principalOf(request).userId),
    }),
  );
};
