import rateLimit from "@fastify/rate-limit";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Registry } from "prom-client";
import { type Authenticate, accessControl } from "./plugins/accessControl.js";
import { metrics } from "./plugins/metrics.js";
import { openApi } from "./plugins/openApi.js";
import { problemDetails } from "./plugins/problemDetails.js";
import { locateConsoleDist, webConsole } from "./plugins/webConsole.js";
import { type HealthOptions, healthRoutes } from "./routes/health.js";
import { schemaController } from "./validatorCompiler.js";

export interface HttpAppDeps {
  version: string;
  registry: Registry;
  authenticate: Authenticate;
  health: HealthOptions["checks"];
  logger?: FastifyServerOptions["logger"];
  /** Registers the resource routes (one plugin per resource folder). */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** The built web console served at `/` (default: console/dist/app when built; null: none). */
  consoleDir?: string | null;
  /** fastify's trustProxy, for a cloud behind a TLS-terminating reverse proxy. */
  trustProxy?: boolean | string;
}

/**
 * The HTTP application, fastify/demo style: infrastructure plugins first (errors, security,
 * OpenAPI, metrics), then the resource routes. Tests call `app.inject()`; no port is opened here.
 */
export async function buildHttpApp(deps: HttpAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Request ids in problem bodies and logs; trust the proxy's id when there is one.
    requestIdHeader: "x-request-id",
    trustProxy: deps.trustProxy ?? false,
    // Texts coerced (query, params, headers), JSON bodies checked as sent: validatorCompiler.ts.
    schemaController,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(problemDetails);
  await app.register(rateLimit, { global: false });
  await app.register(accessControl, { authenticate: deps.authenticate });
  await app.register(openApi, { version: deps.version });
  await app.register(metrics, { registry: deps.registry });
  await app.register(healthRoutes, { checks: deps.health });
  if (deps.routes) await app.register(deps.routes, { prefix: "/api/v1" });
  await app.register(webConsole, {
    dir: deps.consoleDir === undefined ? locateConsoleDist() : deps.consoleDir,
  });
  return app;
}
