import { badRequest } from "../../httpProblem.js";

/**
 * Epoch milliseconds of a value that passed the shared `ZonedInstant` schema (views/instant.ts:
 * the shape, offset required), checked to be a real date: the pattern lets "2026-02-30"
 * through, and Date.parse would quietly read it as 2 March. A 400 names `field`
 * ("querystring/from", "body/start"). Plain arithmetic, no date library: availability
 * searches parse two of these per request.
 */
export function parseZonedTime(field: string, value: string): number {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const ms = Date.parse(value);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number.isNaN(ms)) {
    throw badRequest(field, "is not a real date and time");
  }
  return ms;
}
