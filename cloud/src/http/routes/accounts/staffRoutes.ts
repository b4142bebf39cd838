import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import {
  grantRoleWithin,
  listStaff,
  revokeRoleWithin,
  setDisabledWithin,
} from "../../../accounts/staffAdmin.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { notFound } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { StaffView } from "./accountViews.js";

/** The staff list, staff roles, and disabling a login (docs/api.md "Accounts and invitations"). */
export const staffRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/staff",
    {
      schema: {
        tags: ["accounts"],
        summary: "Staff logins and their roles (a manager: those of their centres)",
        response: { 200: Type.Array(StaffView) },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) =>
      (await listStaff(deps, principalOf(request))).map((s) => ({ ...s, roles: [...s.roles] })),
  );

  app.post(
    "/staff/roles",
    {
      schema: {
        tags: ["accounts"],
        summary: "Grant a staff role to an existing login (by e-mail or user id)",
        body: Type.Object(
          {
            userId: Type.Optional(Type.String({ maxLength: 64 })),
            email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
            role: Type.Union([Type.Literal("manager"), Type.Literal("coordinator")]),
            centreId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            userId: Type.String(),
            role: Type.String(),
            centreId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      let userId = request.body.userId;
      if (userId === undefined && request.body.email !== undefined) {
        const row = await deps.store.db
          .selectFrom("users")
          .select("id")
          .where("email", "=", request.body.email.trim().toLowerCase())
          .executeTakeFirst();
        if (row === undefined) throw notFound("login with this e-mail (invite the person instead)");
        userId = row.id;
      }
      if (userId === undefined) throw notFound("login (give userId or email)");
      const grant = await grantRoleWithin(deps, `user:${principal.userId}`, principal, {
        userId,
        role: request.body.role,
        centreId: request.body.centreId ?? null,
      });
      return reply
        .status(201)
        .send({ id: grant.id, userId: grant.userId, role: grant.role, centreId: grant.centreId });
    },
  );

  app.delete(
    "/staff/roles/:id",
    {
      schema: {
        tags: ["accounts"],
        summary: "Remove a staff role",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null() },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await revokeRoleWithin(deps, `user:${principal.userId}`, principal, request.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const action of ["disable", "enable"] as const) {
    app.post(
      `/users/:userId/${action}`,
      {
        schema: {
          tags: ["accounts"],
          summary:
            action === "disable"
              ? "Disable a login: its sessions and API tokens stop at once"
              : "Enable a disabled login again",
          params: Type.Object({ userId: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ userId: Type.String(), disabled: Type.Boolean() }) },
        },
        config: { access: ["manager", "coordinator"] },
      },
      async (request) => {
        const principal = principalOf(request);
        const user = await setDisabledWithin(
          deps,
          `user:${principal.userId}`,
          principal,
          request.params.userId,
          action === "disable",
        );
        return { userId: user.id, disabled: user.disabledAt !== null };
      },
    );
  }
};
