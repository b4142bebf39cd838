import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/**
 * The OpenAPI document is generated from the routes' TypeBox schemas (every route declares its
 * full schema, response included), served at /openapi.json, and browsable at /docs.
 */
export const openApi = fp(
  async (app: FastifyInstance, options: { version: string }) => {
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
