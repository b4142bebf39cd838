import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Registry } from "prom-client";
import { type Authenticate, accessControl } from "./plugins/accessControl.js";
import { inputGuard } from "./plugins/inputGuard.js";
import { metrics } from "./plugins/metrics.js";
import { openApi } from "./plugins/openApi.js";
import { problemDetails } from "./plugins/problemDetails.js";
import { locateConsoleDist, webConsole } from "./plugins/webConsole.js";
import { clientErrorHandler, frameworkErrors } from "./problemReply.js";
import { requestId } from "./requestId.js";
import { type HealthOptions, healthRoutes } from "./routes/health.js";
import { schemaController } from "./validatorCompiler.js";

export interface HttpAppDeps {
  version: string;
  registry: Registry;
  authenticate: Authenticate;
  health: HealthOptions["checks"];
  /**
   * Where request errors are logged (a pino logger: 5xx with their stack, 4xx at debug, both
   * with the request id). Without one nothing is logged (unit tests of the app).
   */
  logger?: FastifyBaseLogger;
  /**
   * Who may read /metrics: a bearer token to present, or null (the default) for nobody — the
   * route then answers 404. Never public: it tells an outsider the load, the routes and versions.
   */
  metricsToken?: string | null;
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
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Only failures are logged (problemDetails.ts); a line per request would be the access log
    // of a proxy, and its URL may hold a calendar feed's token.
    logController: new LogController({ disableRequestLogging: true }),
    // Request ids in problem bodies and logs: the proxy's when it sent one, else a UUIDv7.
    requestIdHeader: false,
    genReqId: requestId,
    // Errors met before any hook (bad percent-encoding, a too long path segment, headers over
    // node's limit) answer problem+json too.
    frameworkErrors,
    clientErrorHandler,
    trustProxy: deps.trustProxy ?? false,
    // Texts coerced (query, params, headers), JSON bodies checked as sent: validatorCompiler.ts.
    schemaController,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(problemDetails);
  await app.register(inputGuard);
  await app.register(accessControl, { authenticate: deps.authenticate });
  await app.register(openApi, { version: deps.version });
  await app.register(metrics, { registry: deps.registry, token: deps.metricsToken ?? null });
  await app.register(healthRoutes, { checks: deps.health });
  if (deps.routes) await app.register(deps.routes, { prefix: "/api/v1" });
  await app.register(webConsole, {
    dir: deps.consoleDir === undefined ? locateConsoleDist() : deps.consoleDir,
  });
  return app;
}
