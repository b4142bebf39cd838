import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Id } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import { archiveMember, createMember, getMember, updateMember } from "../../../domain/members.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { HttpProblem } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import type { Principal } from "../../principal.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { decodeCursor, Page, PageQuery, pageFromFetched } from "../views/page.js";
import { requireVisibleMember, searchMembers } from "./memberDirectory.js";
import { Language, MemberParams, MemberView, memberView } from "./memberView.js";

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ minLength: 3, maxLength: 254, format: "email" });
const HomeCentre = Type.Union([Id, Type.Null()], {
  description: "a manager may only name one of their centres",
});

const staff = ["manager", "coordinator"] as const;

/**
 * A manager keeps members within their centres: the home centre they give must be theirs (another
 * centre is "not found", as everywhere), and they cannot leave it empty.
 */
function checkHomeCentre(
  request: Parameters<typeof principalOf>[0],
  principal: Principal,
  homeCentreId: string | null | undefined,
  required: boolean,
) {
  if (principal.coordinator) return;
  if (homeCentreId === undefined && !required) return;
  if (homeCentreId === undefined || homeCentreId === null) {
    const field = "body/homeCentreId";
    const message = "a manager gives members one of their centres as home centre";
    throw new HttpProblem(403, "Forbidden", `${field}: ${message}`, [{ field, message }]);
  }
  requireCentreOf(request, homeCentreId, {
    what: "centre",
    id: homeCentreId,
    field: "homeCentreId",
  });
}

/**
 * The members directory, for staff: the coordinator sees everyone, a manager the members
 * related to their centres (memberDirectory.ts). Archiving a member revokes their badges and
 * cancels their upcoming bookings at once.
 */
export const memberRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    "/members",
    {
      schema: {
        tags: ["members"],
        summary: "Members (coordinator: all; manager: those related to their centres)",
        querystring: Type.Object(
          {
            ...PageQuery,
            centreId: Type.Optional(Id),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            includeArchived: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(MemberView) },
      },
      config: { access: staff },
    },
    async (request) => {
      const principal = principalOf(request);
      const { centreId, q, includeArchived, cursor } = request.query;
      if (centreId !== undefined) {
        requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });
      }
      const after = decodeCursor(cursor);
      const limit = request.query.limit ?? 50;
      const rows = await searchMembers(deps, principal, {
        ...(centreId === undefined ? {} : { centreId }),
        ...(q === undefined ? {} : { q }),
        ...(after === undefined ? {} : { after }),
        includeArchived: includeArchived ?? false,
        limit: limit + 1,
      });
      const page = pageFromFetched(rows, limit);
      return { ...page, items: page.items.map(memberView) };
    },
  );

  app.post(
    "/members",
    {
      schema: {
        tags: ["members"],
        summary: "Register a member",
        body: Type.Object(
          {
            name: Name,
            email: Email,
            homeCentreId: Type.Optional(HomeCentre),
            language: Type.Optional(Language),
          },
          { additionalProperties: false },
        ),
        response: { 201: MemberView },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      checkHomeCentre(request, principalOf(request), request.body.homeCentreId, true);
      const member = await createMember(deps, actorOf(request), request.body);
      return reply.status(201).send(memberView(member));
    },
  );

  app.get(
    "/members/:memberId",
    {
      schema: {
        tags: ["members"],
        summary: "One member",
        params: MemberParams,
        response: { 200: MemberView },
      },
      config: { access: staff },
    },
    async (request) => {
      await requireVisibleMember(deps, principalOf(request), request.params.memberId);
      return memberView(await getMember(deps, request.params.memberId));
    },
  );

  app.patch(
    "/members/:memberId",
    {
      schema: {
        tags: ["members"],
        summary: "Edit a member",
        params: MemberParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            email: Type.Optional(Email),
            homeCentreId: Type.Optional(HomeCentre),
            language: Type.Optional(Language),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: MemberView },
      },
      config: { access: staff },
    },
    async (request) => {
      const principal = principalOf(request);
      await requireVisibleMember(deps, principal, request.params.memberId);
      checkHomeCentre(request, principal, request.body.homeCentreId, false);
      return memberView(
        await updateMember(deps, actorOf(request), request.params.memberId, request.body),
      );
    },
  );

  app.delete(
    "/members/:memberId",
    {
      schema: {
        tags: ["members"],
        summary: "Archive a member: their badges are revoked, upcoming bookings cancelled",
        params: MemberParams,
        querystring: Type.Object(
          { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: MemberView },
      },
      config: { access: staff },
    },
    async (request) => {
      await requireVisibleMember(deps, principalOf(request), request.params.memberId);
      const member = await archiveMember(
        deps,
        actorOf(request),
        request.params.memberId,
        request.query.reason ?? "archived by staff",
      );
      return memberView(member);
    },
  );
};
