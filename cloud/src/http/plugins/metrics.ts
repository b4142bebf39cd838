import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { collectDefaultMetrics, Histogram, type Registry } from "prom-client";

/** Prometheus metrics at /metrics: process, HTTP latency per route, and whatever services add. */
export const metrics = fp(
  async (app: FastifyInstance, options: { registry: Registry }) => {
    const { registry } = options;
    collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: "passerelle_http_request_duration_seconds",
      help: "HTTP request duration by route and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
    app.addHook("onResponse", async (request, reply) => {
      duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? "unmatched",
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
    app.get(
      "/metrics",
      { schema: { hide: true }, config: { access: "public" } },
      async (_request, reply) => {
        void reply.type(registry.contentType);
        return registry.metrics();
      },
    );
  },
  { name: "metrics" },
);
