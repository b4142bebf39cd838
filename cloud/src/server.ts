import type { FastifyInstance } from "fastify";
import { type DestinationStream, type Logger, pino } from "pino";
import { Registry } from "prom-client";
import { AuditLog } from "./audit/auditLog.js";
import type { BrokerMode } from "./broker/cloudMqtt.js";
import { CloudMqtt } from "./broker/cloudMqtt.js";
import { type CloudSigningKey, loadOrCreateSigningKey } from "./bundles/signingKeyFile.js";
import {
  type DomainHooks,
  type ServiceDeps,
  serviceDeps,
  systemClock,
} from "./domain/serviceDeps.js";
import { AccessEventStore } from "./events/accessEventStore.js";
import { SessionUpdater } from "./hours/sessionUpdater.js";
import { cloudApi } from "./http/api.js";
import { buildHttpApp } from "./http/app.js";
import type { Authenticate } from "./http/plugins/accessControl.js";
import { PrincipalCache } from "./http/principalCache.js";
import { AvailabilityCache } from "./reservations/availabilityCache.js";
import { releaseNoShows } from "./reservations/noShows.js";
import { redactingLogOptions } from "./security/logRedaction.js";
import { StoreAccessRules } from "./store/adapters/storeAccessRules.js";
import { StoreGatewayDirectory } from "./store/adapters/storeGatewayDirectory.js";
import { StoreBundleVersions } from "./store/bundleVersions.js";
import { openStore, type Store } from "./store/openStore.js";

export const cloudVersion = "0.1.0";

export interface CloudConfig {
  /** SQLite database, signing key and other state; also used with PostgreSQL for the key. */
  dataDir: string;
  /** PostgreSQL instead of SQLite (DESIGN.md "Scale path"). */
  postgresUrl?: string;
  http: { host: string; port: number };
  broker: BrokerMode;
  baseTopic?: string;
  logLevel?: string;
  /** Where log lines go (default stdout); tests pass a stream to check what is logged. */
  logDestination?: DestinationStream;
  /**
   * Behind a reverse proxy (TLS termination): trust its X-Forwarded-For/-Proto so the login rate
   * limit keys on the real client and links say https. fastify's trustProxy: true, or
   * the proxy's addresses (comma-separated). Off by default: a direct client could forge those headers.
   */
  trustProxy?: boolean | string;
  /** The bearer token for /metrics (PASSERELLE_METRICS_TOKEN); without one it is not served. */
  metricsToken?: string;
  /** How often bookings without a badge-in are released. */
  noShowSweepMs?: number;
}

/** What the HTTP API needs from the running cloud, for the routes module to register. */
export interface CloudServices {
  deps: ServiceDeps;
  mqtt: CloudMqtt;
  availability: AvailabilityCache;
  signingKey: CloudSigningKey;
  /** Bearer token → principal; cleared by every committed change to logins, roles or tokens. */
  principals: PrincipalCache;
}

export interface CloudApi {
  authenticate(services: CloudServices): Authenticate;
  routes(services: CloudServices): (app: FastifyInstance) => Promise<void>;
}

export interface RunningCloud {
  httpUrl: string;
  brokerPort: number;
  services: CloudServices;
  store: Store;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * The cloud, wired in one place (CONVENTIONS.md §4): store → services with their hooks → MQTT
 * side (broker, ingest, bundles) → HTTP API → periodic jobs. Stops in reverse, so events already
 * received are committed and acked before the broker and the store close.
 */
export async function startCloud(
  config: CloudConfig,
  api: CloudApi = cloudApi,
): Promise<RunningCloud> {
  const logOptions = {
    level: config.logLevel ?? "info",
    base: { service: "passerelle-cloud" },
    ...redactingLogOptions,
  };
  const logger = config.logDestination ? pino(logOptions, config.logDestination) : pino(logOptions);
  const registry = new Registry();
  // What has started so far, to stop in reverse when a later step fails (a taken HTTP port must
  // not leave the broker listening and the store open in a process that then never exits).
  const started: (() => Promise<void>)[] = [];
  try {
    return await startParts(config, api, logger, registry, started);
  } catch (error) {
    for (const stop of started.reverse()) {
      await stop().catch((stopError: Error) =>
        logger.warn({ err: stopError.message }, "while undoing a failed start"),
      );
    }
    throw error;
  }
}

async function startParts(
  config: CloudConfig,
  api: CloudApi,
  logger: Logger,
  registry: Registry,
  started: (() => Promise<void>)[],
): Promise<RunningCloud> {
  const store = await openStore(
    config.postgresUrl
      ? { postgresUrl: config.postgresUrl, logger }
      : { dataDir: config.dataDir, logger },
  );
  started.push(() => store.close());
  const signingKey = await loadOrCreateSigningKey(config.dataDir, logger);

  // The hooks reach features made below; they run after commit, when everything exists.
  let mqtt: CloudMqtt | undefined;
  let availability: AvailabilityCache | undefined;
  const auditLog = new AuditLog(store, systemClock);
  const principals = new PrincipalCache();
  const hooks: DomainHooks = {
    onAccessRulesChanged: (centres) => {
      availability?.invalidate(centres);
      mqtt?.onAccessRulesChanged(centres);
    },
    audit: auditLog.recordChange,
    onPrincipalsChanged: () => principals.clear(),
    onGatewayCredentialsRevoked: (gatewayIds) => mqtt?.onGatewayCredentialsRevoked(gatewayIds),
  };
  const deps = serviceDeps(store, { logger, hooks, clock: systemClock });
  availability = new AvailabilityCache(deps);
  const directory = new StoreGatewayDirectory(deps);
  mqtt = new CloudMqtt({
    broker: config.broker,
    credentials: directory,
    gateways: directory,
    events: new AccessEventStore(store, systemClock, auditLog),
    accessRules: new StoreAccessRules(store),
    bundleVersions: new StoreBundleVersions(store, systemClock),
    signingKey,
    logger,
    metrics: registry,
    ...(config.baseTopic ? { baseTopic: config.baseTopic } : {}),
  });
  await mqtt.start();
  const startedMqtt = mqtt;
  started.push(() => startedMqtt.stop());
  // Presence sessions follow committed events; catch-up covers what came before the listener.
  const sessions = new SessionUpdater(deps);
  mqtt.ingest.on("committed", (batch) => sessions.onCommitted(batch));
  started.push(() => sessions.idle());
  await sessions.catchUp();
  const services: CloudServices = { deps, mqtt, availability, signingKey, principals };

  const http = await buildHttpApp({
    version: cloudVersion,
    registry,
    logger: logger.child({ module: "cloud:http" }),
    metricsToken: config.metricsToken ?? null,
    authenticate: api.authenticate(services),
    health: {
      store: async () => {
        await store.db.selectFrom("settings").select("key").limit(1).execute();
        return "ok";
      },
    },
    routes: api.routes(services),
    ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
  });
  started.push(() => http.close());
  await http.listen({ host: config.http.host, port: config.http.port });
  const address = http.server.address();
  const httpPort =
    typeof address === "object" && address !== null ? address.port : config.http.port;

  const sweep = setInterval(() => {
    releaseNoShows(deps).catch((error: Error) =>
      logger.warn({ err: error.message }, "no-show sweep failed"),
    );
  }, config.noShowSweepMs ?? 60_000);
  sweep.unref();

  logger.info(
    { http: httpPort, broker: mqtt.brokerPort, keyId: signingKey.keyId },
    "cloud started",
  );
  return {
    httpUrl: `http://${config.http.host === "0.0.0.0" ? "127.0.0.1" : config.http.host}:${httpPort}`,
    brokerPort: mqtt.brokerPort,
    services,
    store,
    logger,
    async stop() {
      clearInterval(sweep);
      await http.close();
      await mqtt?.stop();
      await sessions.idle();
      await store.close();
    },
  };
}
