import { DateTime } from "luxon";
import { badRequest } from "../../httpProblem.js";

/**
 * Epoch milliseconds of a value that passed the shared `ZonedInstant` schema (views/instant.ts:
 * the shape, offset required), checked to be a real date: the pattern lets "2026-02-30"
 * through, and Date.parse would quietly read it as 2 March. A 400 names `field`
 * ("querystring/from", "body/start").
 */
export function parseZonedTime(field: string, value: string): number {
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw badRequest(field, "is not a real date and time");
  return parsed.toMillis();
}
