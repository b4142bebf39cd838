import { Type } from "@sinclair/typebox";
import { badRequest } from "../../httpProblem.js";

/**
 * An ISO 8601 instant WITH its zone offset ("2026-03-02T09:00:00+01:00" or "…Z"): a local time
 * without one means a different instant in every centre's zone, so the API refuses it (400
 * naming the field) rather than guess.
 */
export const ZonedInstant = Type.String({
  pattern:
    "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$",
  maxLength: 40,
  description: "ISO 8601 instant with a zone offset (Z or ±HH:MM)",
  examples: ["2026-03-02T09:00:00+01:00", "2026-03-02T08:00:00Z"],
});

/**
 * Epoch milliseconds of a value that passed `ZonedInstant` (the shape, offset required), checked
 * to be a real date: the pattern lets "2026-02-30" through, and Date.parse would quietly read it
 * as 2 March. A 400 names `field` ("querystring/from", "body/start"). Plain arithmetic, no date
 * library: availability searches parse two of these per request.
 */
export function parseInstant(field: string, value: string): number {
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

/** A required span: both ends read by parseInstant, the end after the start (400 on the end). */
export function parseSpan(
  startField: string,
  start: string,
  endField: string,
  end: string,
): { start: number; end: number } {
  const span = { start: parseInstant(startField, start), end: parseInstant(endField, end) };
  if (span.end <= span.start) {
    throw badRequest(endField, `must be after ${startField.slice(startField.indexOf("/") + 1)}`);
  }
  return span;
}

/** A query's optional `from` and `to`, read by parseInstant; when both are given, to > from. */
export function parseQueryRange(query: { from?: string; to?: string }): {
  from?: number;
  to?: number;
} {
  const from = query.from === undefined ? undefined : parseInstant("querystring/from", query.from);
  const to = query.to === undefined ? undefined : parseInstant("querystring/to", query.to);
  if (from !== undefined && to !== undefined && to <= from) {
    throw badRequest("querystring/to", "must be after from");
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** How instants leave the API: UTC with Z. */
export const UtcInstant = Type.String({ format: "date-time" });

export const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());
