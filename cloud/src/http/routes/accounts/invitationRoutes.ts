import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  acceptInvitation,
  createInvitation,
  listPendingInvitations,
} from "../../../accounts/invitations.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { invitationMail } from "../../../mail/accountMails.js";
import { type AccountMailSettings, consoleLink } from "../../accountMailSettings.js";
import { principalOf } from "../../plugins/accessControl.js";
import { InvitationView, PasswordField, TokenField } from "./accountViews.js";
import { WindowLimiter } from "./windowLimiter.js";

/**
 * Invitations (docs/api.md "Accounts and invitations"): created by staff, accepted by the
 * invitee with the link's token and a password of their choosing.
 */
export const invitationRoutes: FastifyPluginAsyncTypebox<{
  deps: ServiceDeps;
  mail: AccountMailSettings;
}> = async (app, { deps, mail }) => {
  const log = deps.logger.child({ module: "cloud:accounts" });
  const acceptances = new WindowLimiter(deps.clock, 10, 60_000);

  app.post(
    "/invitations",
    {
      schema: {
        tags: ["accounts"],
        summary: "Invite a coordinator, a manager or a member; the link is returned this once",
        body: Type.Object(
          {
            role: Type.Union([
              Type.Literal("coordinator"),
              Type.Literal("manager"),
              Type.Literal("member"),
            ]),
            email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
            centreIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
            memberId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Composite([
            InvitationView,
            Type.Object({ link: Type.String(), emailed: Type.Boolean() }),
          ]),
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const actor = `user:${principal.userId}` as const;
      const { token, invitation } = await createInvitation(deps, actor, principal, request.body);
      const link = consoleLink(mail, request, "/accept-invitation", token);
      let emailed = false;
      if (mail.mailer !== null && mail.publicUrl !== undefined) {
        const inviter = await deps.store.db
          .selectFrom("users")
          .select("email")
          .where("id", "=", principal.userId)
          .executeTakeFirst();
        try {
          await mail.mailer.send(
            invitationMail(invitation.email, link, inviter?.email ?? "Passerelle"),
          );
          emailed = true;
        } catch {
          // Logged by the mailer; the inviter still has the link to pass on.
          log.warn(
            { invitation: invitation.id },
            "invitation e-mail failed; link shown to the inviter",
          );
        }
      }
      return reply.status(201).send({
        ...invitation,
        centreIds: [...invitation.centreIds],
        expiresAt: invitation.expiresAt.toISOString(),
        link,
        emailed,
      });
    },
  );

  app.get(
    "/invitations",
    {
      schema: {
        tags: ["accounts"],
        summary: "Invitations not yet accepted (never their links)",
        response: { 200: Type.Array(InvitationView) },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const invitations = await listPendingInvitations(deps, principalOf(request));
      return invitations.map((inv) => ({
        ...inv,
        centreIds: [...inv.centreIds],
        expiresAt: inv.expiresAt.toISOString(),
      }));
    },
  );

  app.post(
    "/invitations/accept",
    {
      schema: {
        tags: ["accounts"],
        summary: "Accept an invitation: set the password of the new login",
        security: [],
        body: Type.Object(
          { token: TokenField, password: PasswordField },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ email: Type.String() }) },
      },
      config: { access: "public" },
    },
    async (request, reply) => {
      acceptances.take(request.ip, reply);
      const { email } = await acceptInvitation(deps, request.body.token, request.body.password);
      return reply.status(201).send({ email });
    },
  );
};
