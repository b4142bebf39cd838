import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import { checkLoginFactor } from "../../../accounts/secondFactor.js";
import { issueToken, listTokens, revokeToken } from "../../../domain/authTokens.js";
import { normaliseLoginIdentifier } from "../../../domain/loginIdentifier.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { verifyLogin } from "../../../domain/users.js";
import type { SealKey } from "../../../security/sealedSecret.js";
import { HttpProblem, notFound } from "../../httpProblem.js";
import { LoginThrottle } from "../../loginThrottle.js";
import { principalOf } from "../../plugins/accessControl.js";
import { recordLoginLockout } from "./loginLockoutNotice.js";

const PrincipalView = Type.Object({
  userId: Type.String(),
  memberId: Type.Union([Type.String(), Type.Null()]),
  coordinator: Type.Boolean(),
  managerOf: Type.Array(Type.String()),
  via: Type.Union([Type.Literal("session"), Type.Literal("api-token")]),
});
export type PrincipalView = Static<typeof PrincipalView>;

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal("session"), Type.Literal("api")]),
  createdAt: Type.String({ format: "date-time" }),
  expiresAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

const iso = (date: Date | null) => (date === null ? null : date.toISOString());
const dayMs = 86_400_000;

/**
 * Login, logout, who am I, and API tokens. A failed login says neither which of e-mail and
 * password was wrong; attempts are throttled per account and per client address
 * (loginThrottle.ts): 429 with Retry-After, and a lockout notice in the audit log.
 */
export const authRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps; seal: SealKey }> = async (
  app,
  { deps, seal },
) => {
  const throttle = new LoginThrottle(deps.clock);
  app.post(
    "/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary:
          "Log in with e-mail and password (and the authenticator code when the login has one); returns a session token",
        security: [],
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
            code: Type.Optional(
              Type.String({
                maxLength: 32,
                description: "six digits from the authenticator app, or a recovery code",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: Type.String({ format: "date-time" }),
          }),
        },
      },
      config: { access: "public" },
    },
    async (request, reply) => {
      const account = normaliseLoginIdentifier(request.body.email);
      const client = request.ip;
      const verdict = throttle.attempt(account, client);
      if (!verdict.allowed) {
        const { scope, retryAfterSeconds } = verdict;
        if (verdict.newLockout)
          await recordLoginLockout(deps, { scope, account, client, retryAfterSeconds });
        void reply.header("retry-after", String(retryAfterSeconds));
        throw new HttpProblem(
          429,
          "Too Many Requests",
          `too many login attempts ${scope === "account" ? "on this account" : "from this address"}; retry in ${retryAfterSeconds} s`,
        );
      }
      const user = await verifyLogin(deps, request.body.email, request.body.password);
      if (user === undefined)
        throw new HttpProblem(401, "Unauthorized", "e-mail or password is wrong");
      // Asked only once the password is right: the question itself tells who has a factor.
      const factor = await checkLoginFactor(deps, seal, user.id, request.body.code);
      if (factor === "missing")
        throw new HttpProblem(401, "Unauthorized", "the authenticator code is required", [
          { field: "body/code", message: "required" },
        ]);
      if (factor === "wrong")
        throw new HttpProblem(401, "Unauthorized", "the authenticator code is wrong", [
          { field: "body/code", message: "wrong" },
        ]);
      verdict.release();
      const { token, record } = await issueToken(deps, `user:${user.id}`, {
        userId: user.id,
        kind: "session",
        name: "login",
      });
      return {
        token,
        expiresAt: iso(record.expiresAt) ?? new Date(deps.clock.now() + dayMs).toISOString(),
      };
    },
  );

  app.post(
    "/auth/logout",
    {
      schema: {
        tags: ["auth"],
        summary: "Revoke the token of this request",
        response: { 204: Type.Null() },
      },
      config: { access: "authenticated" },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.tokenId !== undefined)
        await revokeToken(deps, `user:${principal.userId}`, principal.tokenId);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/me",
    {
      schema: {
        tags: ["auth"],
        summary: "Who is calling, with their roles",
        response: { 200: PrincipalView },
      },
      config: { access: "authenticated" },
    },
    async (request) => {
      const { userId, memberId, coordinator, managerOf, via } = principalOf(request);
      return { userId, memberId, coordinator, managerOf: [...managerOf], via };
    },
  );

  app.get(
    "/me/tokens",
    {
      schema: {
        tags: ["auth"],
        summary: "My tokens (never their secrets)",
        response: { 200: Type.Array(TokenView) },
      },
      config: { access: "authenticated" },
    },
    async (request) => {
      const tokens = await listTokens(deps, principalOf(request).userId);
      return tokens
        .filter((t) => t.revokedAt === null)
        .map((t) => ({
          id: t.id,
          name: t.name,
          kind: t.kind,
          createdAt: t.createdAt.toISOString(),
          expiresAt: iso(t.expiresAt),
        }));
    },
  );

  app.post(
    "/me/tokens",
    {
      schema: {
        tags: ["auth"],
        summary: "Create an API token; its secret is shown this once",
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            token: Type.String(),
            expiresAt: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
      config: { access: "authenticated" },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const { token, record } = await issueToken(deps, `user:${userId}`, {
        userId,
        kind: "api",
        name: request.body.name,
        ttlMs: (request.body.validDays ?? 90) * dayMs,
      });
      return reply.status(201).send({ id: record.id, token, expiresAt: iso(record.expiresAt) });
    },
  );

  app.delete(
    "/me/tokens/:id",
    {
      schema: {
        tags: ["auth"],
        summary: "Revoke one of my tokens",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null() },
      },
      config: { access: "authenticated" },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const mine = await listTokens(deps, userId);
      // Someone else's token is "not found", not "forbidden": ids are not to be probed.
      if (!mine.some((t) => t.id === request.params.id && t.revokedAt === null))
        throw notFound("token");
      await revokeToken(deps, `user:${userId}`, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
