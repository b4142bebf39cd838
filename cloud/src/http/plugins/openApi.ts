import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import {
  type AccessByOperation,
  describeOperations,
  type OpenApiDocument as OpenApi,
  operationKey,
} from "./openApiOperations.js";

const methods = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);

/** The body of every error response (cloud/src/http/plugins/problemDetails.ts), RFC 9457. */
const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "instance", "errors"],
  properties: {
    type: { type: "string", const: "about:blank" },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    instance: { type: "string", description: "the request's path and query" },
    errors: {
      type: "array",
      description:
        "the fields at fault: `body/end`, `querystring/from`, `params/id`, or a service field",
      items: {
        type: "object",
        required: ["field", "message"],
        properties: { field: { type: "string" }, message: { type: "string" } },
      },
    },
  },
};

/**
 * Every operation's errors in the document: a `default` response of problem+json and the
 * statuses it really answers (openApiOperations.ts). Documentation only: fastify serializes
 * errors in the error handler, not through route response schemas.
 */
function withProblemResponses(
  { openapiObject }: { openapiObject: OpenApi },
  access: AccessByOperation,
): OpenApi {
  openapiObject.components = {
    ...openapiObject.components,
    schemas: { ...openapiObject.components?.schemas, Problem: problemSchema },
  };
  for (const operations of Object.values(openapiObject.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!methods.has(method)) continue;
      operation.responses = {
        ...operation.responses,
        default: {
          description: "an error, as RFC 9457 problem details (400 names the fields at fault)",
          content: {
            "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
          },
        },
      };
    }
  }
  describeOperations(openapiObject, access);
  return openapiObject;
}

/**
 * The OpenAPI document is generated from the routes' TypeBox schemas (every route declares its
 * full schema, response included), served at /openapi.json, and browsable at /docs.
 */
export const openApi = fp(
  async (app: FastifyInstance, options: { version: string }) => {
    // Each route's access rule, for the 401/403 answers its operation documents.
    const access: AccessByOperation = new Map();
    app.addHook("onRoute", (route) => {
      const methodsOfRoute = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methodsOfRoute)
        access.set(operationKey(method, route.url), route.config?.access);
    });
    await app.register(swagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "Passerelle API",
          version: options.version,
          description:
            "Reservations, members, badges, access rules, occupancy and the access log of a network of shared workplaces.",
        },
        components: {
          securitySchemes: {
            bearer: { type: "http", scheme: "bearer", description: "session or API token" },
          },
        },
        security: [{ bearer: [] }],
      },
      transformObject: (documents) =>
        withProblemResponses(documents as { openapiObject: OpenApi }, access),
    });
    // The docs page's own routes (HTML, assets) are public; they are registered by the plugin,
    // so mark them here rather than leave them to fail closed.
    await app.register(async (docs) => {
      docs.addHook("onRoute", (route) => {
        route.config = { ...(route.config as object), access: "public" };
      });
      await docs.register(swaggerUi, { routePrefix: "/docs" });
    });
    app.get("/openapi.json", { schema: { hide: true }, config: { access: "public" } }, async () =>
      app.swagger(),
    );
  },
  { name: "openapi" },
);
