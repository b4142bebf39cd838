import type { Access } from "./accessControl.js";

export interface OpenApiOperation {
  operationId?: string;
  security?: unknown[];
  parameters?: { in?: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

export interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> };
  paths?: Record<string, Record<string, OpenApiOperation>>;
}

/** What the document needs to know of a route beyond its schema: its access rule. */
export type AccessByOperation = Map<string, Access | undefined>;

/** `GET /api/v1/centres/:id` as fastify declares it → the key the document's path gives. */
export function operationKey(method: string, fastifyUrl: string): string {
  return `${method.toLowerCase()} ${fastifyUrl.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`;
}

const methods = new Set(["get", "put", "post", "delete", "patch"]);

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/** `post /api/v1/centres/{id}/doors` → `postCentresByIdDoors`: stable, unique, readable. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1/, "")
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const parameter = /^\{([^}]+)\}(.*)$/.exec(segment);
      const text = parameter ? `by-${parameter[1]}${parameter[2] ?? ""}` : segment;
      return text
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((word) => word[0]?.toUpperCase() + word.slice(1))
        .join("");
    });
  return `${method}${words.join("") || "Root"}`;
}

/**
 * Gives every operation an operationId and the error answers it can really give, besides the
 * `default` problem response: 400 when it takes input (a malformed body, parameter or query), 401
 * and 403 by its access rule, 404 when it names a resource in its path, 409 for a change that
 * can conflict, 429 for the login, and 500. Documentation only: the error handler writes them.
 */
export function describeOperations(document: OpenApiDocument, access: AccessByOperation): void {
  const seen = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!methods.has(method)) continue;
      let id = operation.operationId ?? operationIdOf(method, path);
      while (seen.has(id)) id = `${id}_`;
      seen.add(id);
      operation.operationId = id;

      const rule = access.get(`${method} ${path}`);
      const hasPathParameters = (operation.parameters ?? []).some((p) => p.in === "path");
      const takesInput =
        hasPathParameters ||
        operation.requestBody !== undefined ||
        (operation.parameters ?? []).length > 0;
      const errors: Record<string, unknown> = {};
      // Every route can meet a NUL character or a malformed query (inputGuard.ts).
      errors["400"] = problem(
        takesInput
          ? "a field is malformed or missing; `errors` names each one"
          : "the request is malformed",
      );
      if (rule !== "public") errors["401"] = problem("no valid bearer token");
      if (Array.isArray(rule)) errors["403"] = problem("the caller's role does not allow this");
      if (hasPathParameters) errors["404"] = problem("no such resource, or not yours to see");
      if (method !== "get") errors["409"] = problem("conflicts with the current state");
      if (path.endsWith("/auth/login"))
        errors["429"] = problem("too many attempts; see the Retry-After header");
      errors["500"] = problem("an internal error; `detail` quotes the request id to report");
      operation.responses = { ...errors, ...operation.responses };
    }
  }
}
