import type { FastifyRequest } from "fastify";
import { principalOf, requireCentre } from "../../plugins/accessControl.js";
import { staffCentres } from "../views/centreScope.js";

/**
 * The centres a staff report covers: the one asked for (404 for a manager asking about another
 * centre), else every centre of the caller (undefined: all, for a coordinator).
 */
export function reportCentres(
  request: FastifyRequest,
  centreId: string | undefined,
): readonly string[] | undefined {
  if (centreId !== undefined) {
    requireCentre(request, centreId);
    return [centreId];
  }
  return staffCentres(principalOf(request));
}
