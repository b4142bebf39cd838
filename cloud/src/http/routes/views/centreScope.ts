import type { FastifyRequest } from "fastify";
import { notFound } from "../../../domain/domainError.js";
import type { Actor } from "../../../domain/serviceDeps.js";
import { principalOf } from "../../plugins/accessControl.js";
import { canSeeCentre, type Principal } from "../../principal.js";

/**
 * The caller may act on a thing of `centreId`: a coordinator always, a manager for their
 * centres. Anyone else gets the very 404 the service gives for an id that does not exist
 * (same message, same field), so a manager cannot tell another centre's doors, gateways or
 * members from ids nobody uses.
 */
export function requireCentreOf(
  request: FastifyRequest,
  centreId: string,
  thing: { what: string; id: string; field: string },
): Principal {
  const principal = principalOf(request);
  if (!canSeeCentre(principal, centreId)) throw notFound(thing.what, thing.id, thing.field);
  return principal;
}

/** Who did it, in *_by columns and the audit log. */
export function actorOf(request: FastifyRequest): Actor {
  return `user:${principalOf(request).userId}`;
}

/** The centres a caller may see staff data of; undefined: all of them (coordinator). */
export function staffCentres(principal: Principal): readonly string[] | undefined {
  return principal.coordinator ? undefined : principal.managerOf;
}
