import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { badRequest } from "../httpProblem.js";

/** What no stored value may hold: PostgreSQL's text cannot store U+0000, and nothing needs it. */
const nul = "\u0000";

/** The first offending value under `value`, as `[field, message]`, or undefined. */
function findBadValue(value: unknown, field: string, depth = 0): [string, string] | undefined {
  if (typeof value === "string") {
    return value.includes(nul) ? [field, "must not contain the NUL character (U+0000)"] : undefined;
  }
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : [field, "must be a finite number"];
  }
  // Bodies are at most 1 MiB of JSON; 64 levels is deeper than any schema of the API.
  if (depth > 64 || value === null || typeof value !== "object") return undefined;
  const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
  for (const [key, item] of entries) {
    if (typeof key === "string" && key.includes(nul))
      return [field, "a property name must not contain the NUL character (U+0000)"];
    const found = findBadValue(item, `${field}/${String(key)}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * One place, for every route, that refuses what the schemas let through but no store should see:
 * U+0000 in any string (PostgreSQL refuses it with an error that would be a 500) and non-finite
 * numbers (`limit=Infinity`, `1e400` in a query string or a JSON body parse as Infinity and pass
 * ajv's `integer` and `maximum`). Runs after validation and coercion, before the access check and
 * the handler, and answers 400 naming the field (`querystring/limit`, `body/email`, `params/id`).
 */
export const inputGuard = fp(
  async (app: FastifyInstance) => {
    app.addHook("preHandler", async (request) => {
      const parts = [
        ["params", request.params],
        ["querystring", request.query],
        ["body", request.body],
      ] as const;
      for (const [part, value] of parts) {
        const found = findBadValue(value, part);
        if (found) throw badRequest(found[0], found[1]);
      }
    });
  },
  { name: "input-guard" },
);
