import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";

const Health = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded")]),
  checks: Type.Record(Type.String(), Type.Union([Type.Literal("ok"), Type.String()])),
});

export interface HealthOptions {
  /** Named checks; each resolves "ok" or a short reason. */
  checks: Record<string, () => Promise<"ok" | string>>;
}

/** Liveness and readiness in one: 200 when every check is ok, 503 otherwise. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, options) => {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["health"],
        summary: "Service health",
        security: [],
        response: { 200: Health, 503: Health },
      },
      config: { access: "public" },
    },
    async (_request, reply) => {
      const entries = await Promise.all(
        Object.entries(options.checks).map(async ([name, check]) => {
          try {
            return [name, await check()] as const;
          } catch (error) {
            return [name, (error as Error).message] as const;
          }
        }),
      );
      const checks = Object.fromEntries(entries);
      const ok = entries.every(([, result]) => result === "ok");
      return reply.status(ok ? 200 : 503).send({ status: ok ? "ok" : "degraded", checks });
    },
  );
};
