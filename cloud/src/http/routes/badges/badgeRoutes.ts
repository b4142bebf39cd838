import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Id, type SunVerifier } from "@passerelle/protocol";
import { Type } from "@sinclair/typebox";
import {
  getBadge,
  issueBadge,
  listBadges,
  revokeBadge,
  setBadgePin,
} from "../../../domain/badges.js";
import { notFound } from "../../../domain/domainError.js";
import { enrolSecureCard } from "../../../domain/secureCardEnrolment.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { principalOf } from "../../plugins/accessControl.js";
import { canSeeMember, requireVisibleMember } from "../members/memberDirectory.js";
import { MemberParams } from "../members/memberView.js";
import { actorOf } from "../views/centreScope.js";
import { Page, PageQuery, pageOf } from "../views/page.js";
import { badgeUidPattern } from "./badgeUidPattern.js";
import { BadgeView, badgeView } from "./badgeView.js";

const staff = ["manager", "coordinator"] as const;

/**
 * The card's UID as read by the desk reader: hexadecimal, optionally in byte groups
 * ("04:A1:B2:C3"). Hashed by the service at once with the network's salt; it appears in no
 * response, log line or error message (the pattern error does not echo values). The pattern is
 * also a valid HTML `pattern` (browsers compile it with the `v` flag, where a bare "-" in a
 * class is a syntax error): the console uses the same text (badgeUidPattern.test.ts).
 */
const Uid = Type.String({
  minLength: 2,
  maxLength: 96,
  pattern: `^${badgeUidPattern}$`,
  description: "card UID in hexadecimal; write-only",
  writeOnly: true,
});

/**
 * Badges: issued to a member from the card's UID, revoked with a reason. A manager handles
 * badges of members related to their centres (a badge opens every door its passes allow, so
 * revocation is not limited to the issuing centre).
 */
export const badgeRoutes: FastifyPluginAsyncTypebox<{
  deps: ServiceDeps;
  sunVerifier: SunVerifier | null;
}> = async (app, { deps, sunVerifier }) => {
  app.get(
    "/members/:memberId/badges",
    {
      schema: {
        tags: ["badges"],
        summary: "A member's badges (never their UIDs)",
        params: MemberParams,
        querystring: Type.Object(
          { ...PageQuery, activeOnly: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: { 200: Page(BadgeView) },
      },
      config: { access: staff },
    },
    async (request) => {
      const { memberId } = request.params;
      await requireVisibleMember(deps, principalOf(request), memberId);
      const badges = await listBadges(deps, {
        memberId,
        activeOnly: request.query.activeOnly ?? false,
      });
      const page = pageOf(badges, request.query);
      return { ...page, items: page.items.map((badge) => badgeView(badge, "staff")) };
    },
  );

  app.post(
    "/members/:memberId/badges",
    {
      schema: {
        tags: ["badges"],
        summary: "Issue a badge from its card UID (hashed at once, never returned)",
        params: MemberParams,
        body: Type.Object(
          { uid: Uid, label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: { 201: BadgeView },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      await requireVisibleMember(deps, principalOf(request), memberId);
      const badge = await issueBadge(deps, actorOf(request), { memberId, ...request.body });
      return reply.status(201).send(badgeView(badge, "staff"));
    },
  );

  app.post(
    "/members/:memberId/badges/secure-card",
    {
      schema: {
        tags: ["badges"],
        summary:
          "Enrol an NTAG 424 DNA card from one SUN URL it produced: verified, then issued as a secure card",
        params: MemberParams,
        body: Type.Object(
          {
            sunUrl: Type.String({
              minLength: 10,
              maxLength: 512,
              description:
                "the URL the card wrote on one read (…?e=<32 hex>&c=<16 hex>); write-only",
              writeOnly: true,
            }),
            label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: BadgeView },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const { memberId } = request.params;
      await requireVisibleMember(deps, principalOf(request), memberId);
      const badge = await enrolSecureCard(deps, sunVerifier, actorOf(request), {
        memberId,
        ...request.body,
      });
      return reply.status(201).send(badgeView(badge, "staff"));
    },
  );

  app.post(
    "/badges/:badgeId/revoke",
    {
      schema: {
        tags: ["badges"],
        summary: "Revoke a badge (lost, stolen, returned): every door it opened is updated",
        params: Type.Object({ badgeId: Id }),
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: BadgeView },
      },
      config: { access: staff },
    },
    async (request) => {
      const { badgeId } = request.params;
      const badge = await getBadge(deps, badgeId);
      if (!(await canSeeMember(deps, principalOf(request), badge.memberId))) {
        throw notFound("badge", badgeId, "badgeId");
      }
      const revoked = await revokeBadge(deps, actorOf(request), badgeId, request.body.reason);
      return badgeView(revoked, "staff");
    },
  );

  app.put(
    "/badges/:badgeId/pin",
    {
      schema: {
        tags: ["badges"],
        summary:
          "Set (or clear, with null) the badge's PIN for card + PIN doors; only its hash is kept",
        params: Type.Object({ badgeId: Id }),
        body: Type.Object(
          {
            pin: Type.Union([
              Type.String({ pattern: "^[0-9]{4,8}$", description: "4 to 8 digits; write-only" }),
              Type.Null(),
            ]),
          },
          { additionalProperties: false },
        ),
        response: { 200: BadgeView },
      },
      config: { access: staff },
    },
    async (request) => {
      const { badgeId } = request.params;
      const badge = await getBadge(deps, badgeId);
      if (!(await canSeeMember(deps, principalOf(request), badge.memberId))) {
        throw notFound("badge", badgeId, "badgeId");
      }
      const updated = await setBadgePin(deps, actorOf(request), badgeId, request.body.pin);
      return badgeView(updated, "staff");
    },
  );

  app.get(
    "/me/badges",
    {
      schema: {
        tags: ["badges"],
        summary: "My badges",
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(BadgeView) },
      },
      config: { access: ["worker"] },
    },
    async (request) => {
      const memberId = principalOf(request).memberId as string; // the worker role guarantees it
      const page = pageOf(await listBadges(deps, { memberId }), request.query);
      return { ...page, items: page.items.map((badge) => badgeView(badge, "holder")) };
    },
  );
};
