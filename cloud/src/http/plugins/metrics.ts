import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Histogram, type Registry } from "prom-client";
import { notFound, unauthenticated } from "../httpProblem.js";
import { collectProcessMetrics } from "./processMetrics.js";

export interface MetricsOptions {
  registry: Registry;
  /** The bearer token a scraper presents; null: /metrics is not served (404). */
  token: string | null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus metrics at /metrics: process, HTTP latency per route, and whatever services add.
 * Behind a bearer token (PASSERELLE_METRICS_TOKEN): the figures are for the operator's
 * Prometheus, not for the internet (docs/operations.md "Metrics").
 */
export const metrics = fp(
  async (app: FastifyInstance, options: MetricsOptions) => {
    const { registry, token } = options;
    collectProcessMetrics(registry);
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
      async (request, reply) => {
        if (token === null) throw notFound("route");
        const header = request.headers.authorization ?? "";
        const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length).trim() : "";
        if (!sameSecret(given, token)) {
          void reply.header("www-authenticate", 'Bearer realm="metrics"');
          throw unauthenticated();
        }
        void reply.type(registry.contentType);
        return registry.metrics();
      },
    );
  },
  { name: "metrics" },
);
