import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Id } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import { notFound } from "../../../domain/domainError.js";
import {
  changePassValidity,
  createPass,
  getPass,
  listPasses,
  type Pass,
  revokePass,
} from "../../../domain/passes.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { HttpProblem } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import type { Principal } from "../../principal.js";
import { canSeeMember, requireVisibleMember } from "../members/memberDirectory.js";
import { MemberParams } from "../members/memberView.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { parseInstant, ZonedInstant } from "../views/instant.js";
import { Page, PageQuery, pageOf } from "../views/page.js";
import { PassKind, PassParams, PassView, passView } from "./passView.js";

const staff = ["manager", "coordinator"] as const;
const Reason = Type.String({ minLength: 1, maxLength: 500 });

const forbiddenField = (field: string, message: string) =>
  new HttpProblem(403, "Forbidden", `${field}: ${message}`, [{ field, message }]);

/**
 * What a manager may sell: passes of their own centres (sold by it and valid there). Network
 * passes are the cooperative's product, so only the coordinator issues them.
 */
function managerPassScope(
  request: FastifyRequest,
  principal: Principal,
  body: { kind: Pass["kind"]; validCentreId?: string | null; ownerCentreId?: string | null },
): { validCentreId?: string | null; ownerCentreId?: string | null } {
  if (principal.coordinator) {
    return {
      ...(body.validCentreId === undefined ? {} : { validCentreId: body.validCentreId }),
      ...(body.ownerCentreId === undefined ? {} : { ownerCentreId: body.ownerCentreId }),
    };
  }
  if (body.kind === "network") {
    throw forbiddenField("body/kind", "only the coordinator issues network passes");
  }
  const centre = body.validCentreId ?? body.ownerCentreId;
  if (centre === undefined || centre === null) {
    throw forbiddenField("body/validCentreId", "a manager issues passes of their centres");
  }
  for (const [field, id] of [
    ["validCentreId", body.validCentreId],
    ["ownerCentreId", body.ownerCentreId],
  ] as const) {
    if (id !== undefined && id !== null)
      requireCentreOf(request, id, { what: "centre", id, field });
  }
  return {
    validCentreId: body.validCentreId ?? centre,
    ownerCentreId: body.ownerCentreId ?? centre,
  };
}

/**
 * Passes: the rights to enter. Staff list and issue them under a member; a manager changes or
 * revokes only passes of their centres, and sees (404 otherwise) only their centres' members.
 */
export const passRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  /** The pass, if the caller may change it: hidden as "not found" with its member. */
  const changeable = async (request: FastifyRequest, passId: string) => {
    const principal = principalOf(request);
    const pass = await getPass(deps, passId);
    if (!(await canSeeMember(deps, principal, pass.memberId))) {
      throw notFound("pass", passId, "passId");
    }
    const centres = [pass.validCentreId, pass.ownerCentreId];
    if (
      !principal.coordinator &&
      !centres.some((c) => c !== null && principal.managerOf.includes(c))
    ) {
      throw forbiddenField("params/passId", "this pass was not sold by one of your centres");
    }
    return pass;
  };

  app.get(
    "/members/:memberId/passes",
    {
      schema: {
        tags: ["passes"],
        summary: "A member's passes",
        params: MemberParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(PassView) },
      },
      config: { access: staff },
    },
    async (request) => {
      const { memberId } = request.params;
      await requireVisibleMember(deps, principalOf(request), memberId);
      const page = pageOf(await listPasses(deps, { memberId }), request.query);
      return { ...page, items: page.items.map((pass) => passView(pass, "staff")) };
    },
  );

  app.post(
    "/members/:memberId/passes",
    {
      schema: {
        tags: ["passes"],
        summary: "Issue a pass to a member",
        params: MemberParams,
        body: Type.Object(
          {
            kind: PassKind,
            validFrom: ZonedInstant,
            validTo: ZonedInstant,
            validCentreId: Type.Optional(Type.Union([Id, Type.Null()])),
            ownerCentreId: Type.Optional(Type.Union([Id, Type.Null()])),
            creditMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 6_000_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: PassView },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { memberId } = request.params;
      await requireVisibleMember(deps, principal, memberId);
      const { kind, validFrom, validTo, creditMinutes } = request.body;
      const pass = await createPass(deps, actorOf(request), {
        memberId,
        kind,
        validFrom: parseInstant("body/validFrom", validFrom),
        validTo: parseInstant("body/validTo", validTo),
        ...managerPassScope(request, principal, request.body),
        ...(creditMinutes === undefined ? {} : { creditMinutes }),
      });
      return reply.status(201).send(passView(pass, "staff"));
    },
  );

  app.patch(
    "/passes/:passId",
    {
      schema: {
        tags: ["passes"],
        summary: "Move a pass's validity (renewal, extension, correction)",
        params: PassParams,
        body: Type.Object(
          { validFrom: ZonedInstant, validTo: ZonedInstant },
          { additionalProperties: false },
        ),
        response: { 200: PassView },
      },
      config: { access: staff },
    },
    async (request) => {
      await changeable(request, request.params.passId);
      const pass = await changePassValidity(deps, actorOf(request), request.params.passId, {
        validFrom: parseInstant("body/validFrom", request.body.validFrom),
        validTo: parseInstant("body/validTo", request.body.validTo),
      });
      return passView(pass, "staff");
    },
  );

  app.post(
    "/passes/:passId/revoke",
    {
      schema: {
        tags: ["passes"],
        summary: "Revoke a pass, with the reason",
        params: PassParams,
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 200: PassView },
      },
      config: { access: staff },
    },
    async (request) => {
      await changeable(request, request.params.passId);
      const pass = await revokePass(
        deps,
        actorOf(request),
        request.params.passId,
        request.body.reason,
      );
      return passView(pass, "staff");
    },
  );

  app.get(
    "/me/passes",
    {
      schema: {
        tags: ["passes"],
        summary: "My passes",
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(PassView) },
      },
      config: { access: ["worker"] },
    },
    async (request) => {
      const memberId = principalOf(request).memberId as string; // the worker role guarantees it
      const page = pageOf(await listPasses(deps, { memberId }), request.query);
      return { ...page, items: page.items.map((pass) => passView(pass, "holder")) };
    },
  );
};
