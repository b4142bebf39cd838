import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { forbidden, notFound, unauthenticated } from "../httpProblem.js";
import { canSeeCentre, hasRole, type Principal, type Role } from "../principal.js";

/**
 * Who may call a route, declared next to it in `config.access`. It is the one place roles are
 * enforced; handlers only narrow further to a centre (`requireCentre`) or to oneself.
 * - "public": anyone (health, login, the API docs)
 * - "authenticated": any logged-in principal (their own data)
 * - a list of roles: a principal holding at least one of them
 */
export type Access = "public" | "authenticated" | readonly Role[];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Turns a bearer token (session or API token) into a principal, or null. */
export type Authenticate = (token: string) => Promise<Principal | null>;

export interface AccessControlOptions {
  authenticate: Authenticate;
}

export const accessControl = fp<AccessControlOptions>(
  async (app: FastifyInstance, options) => {
    app.decorateRequest("principal", null);

    app.addHook("onRequest", async (request) => {
      const header = request.headers.authorization;
      if (header?.startsWith("Bearer ")) {
        request.principal = await options.authenticate(header.slice("Bearer ".length).trim());
      }
    });

    // preHandler runs after validation, so a malformed request gets its 400 even when anonymous;
    // a route without a declared access rule is refused: forgetting to declare one fails closed.
    app.addHook("preHandler", async (request) => {
      const access = request.routeOptions.config.access;
      if (access === "public" || request.is404) return;
      if (request.principal === null) throw unauthenticated();
      if (access === "authenticated") return;
      if (access === undefined) throw forbidden("route has no access rule");
      const principal = request.principal;
      if (!access.some((role) => hasRole(principal, role))) throw forbidden();
    });
  },
  { name: "access-control" },
);

/** The caller, on a route whose access rule guarantees one. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw unauthenticated();
  return request.principal;
}

/**
 * A manager asking for another centre gets 404, not 403: they must not learn what exists
 * elsewhere in the network.
 */
export function requireCentre(request: FastifyRequest, centreId: string): Principal {
  const principal = principalOf(request);
  if (!canSeeCentre(principal, centreId)) throw notFound("centre");
  return principal;
}
