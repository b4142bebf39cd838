import { type DestinationStream, type Logger, pino } from "pino";
import { Registry } from "prom-client";
import { AuditLog } from "./audit/auditLog.js";
import { loadOrCreateSigningKey } from "./bundles/signingKeyFile.js";
import { cloudEventBus } from "./bus/cloudEvents.js";
import type { Feature } from "./bus/feature.js";
import type { BrokerMode } from "./cloudMqtt.js";
import { serviceDeps, systemClock } from "./domain/serviceDeps.js";
import { cloudFeatures } from "./features/cloudFeatures.js";
import { domainEvents } from "./features/domainEvents.js";
import { cloudApi } from "./http/api.js";
import type { CloudApi, CloudServices } from "./http/cloudServices.js";
import { type Mailer, type SmtpSettings, smtpMailer } from "./mail/mailer.js";
import { redactingLogOptions } from "./security/logRedaction.js";
import { readSunKeysFile } from "./security/sunKeysFile.js";
import { openStore, type Store } from "./store/openStore.js";
import type { TimeSeriesConfig } from "./timeseries/timeSeriesConfig.js";

export type { CloudApi, CloudServices, LiveBoards } from "./http/cloudServices.js";

export const cloudVersion = "0.1.0";

export interface CloudConfig {
  /** SQLite database, signing key and other state; also used with PostgreSQL for the key. */
  dataDir: string;
  /** PostgreSQL instead of SQLite, for several cloud instances (docs/cloud-store.md "Engines"). */
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
  /** How often bookings without a badge-in are released. */
  noShowSweepMs?: number;
  /** The console's address as people reach it: the base of links in e-mails. */
  publicUrl?: string;
  /** The SMTP relay for invitation and password-reset e-mails (docs/operations.md). */
  smtp?: SmtpSettings;
  /** A mailer instead of SMTP (tests). */
  mailer?: Mailer;
  /** InfluxDB (or a v2-compatible store) for the time series; absent: none written. */
  timeSeries?: TimeSeriesConfig;
  /** The bearer token for /metrics (PASSERELLE_METRICS_TOKEN); without one it is not served. */
  metricsToken?: string;
  /** The SUN verification set (JSON, as the gateways'): enrols NTAG 424 DNA cards from a SUN. */
  sunKeysFile?: string;
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
 * The cloud, assembled in one place: the store, the event bus and the domain services whose
 * hooks emit on it, then the features of features/cloudFeatures.ts started in order (that file
 * lists each feature and what it listens to). Stops in reverse, so events already received are
 * committed and acked before the broker and the store close.
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
  // What has started so far, to stop in reverse when a later step fails (a taken HTTP port must
  // not leave the broker listening and the store open in a process that then never exits).
  const started: (() => Promise<void>)[] = [];
  try {
    return await startParts(config, api, logger, started);
  } catch (error) {
    await stopAll(started, logger, "while undoing a failed start");
    throw error;
  }
}

async function startParts(
  config: CloudConfig,
  api: CloudApi,
  logger: Logger,
  started: (() => Promise<void>)[],
): Promise<RunningCloud> {
  const store = await openStore(
    config.postgresUrl
      ? { postgresUrl: config.postgresUrl, logger }
      : { dataDir: config.dataDir, logger },
  );
  started.push(() => store.close());
  const signingKey = await loadOrCreateSigningKey(config.dataDir, logger);
  const bus = cloudEventBus(logger);
  const auditLog = new AuditLog(store, systemClock);
  const deps = serviceDeps(store, {
    logger,
    hooks: domainEvents(bus, auditLog, systemClock),
    clock: systemClock,
  });
  const features = cloudFeatures({
    version: cloudVersion,
    http: {
      host: config.http.host,
      port: config.http.port,
      ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
      ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
    },
    broker: config.broker,
    ...(config.postgresUrl === undefined ? {} : { postgresUrl: config.postgresUrl }),
    ...(config.baseTopic ? { baseTopic: config.baseTopic } : {}),
    noShowSweepMs: config.noShowSweepMs ?? 60_000,
    api,
    deps,
    bus,
    auditLog,
    signingKey,
    logger,
    registry: new Registry(),
    accountMail: {
      mailer: config.mailer ?? (config.smtp ? smtpMailer(config.smtp, logger) : null),
      ...(config.publicUrl === undefined ? {} : { publicUrl: config.publicUrl }),
    },
    ...(config.timeSeries === undefined
      ? {}
      : { timeSeries: { config: config.timeSeries, dataDir: config.dataDir } }),
    ...(config.sunKeysFile === undefined
      ? {}
      : { sunVerifier: readSunKeysFile(config.sunKeysFile) }),
  });
  for (const feature of features.list) {
    // Registered before start: a feature that fails half-way is undone too (stop() tolerates it).
    started.push(() => stopFeature(feature, bus));
    await feature.start();
  }

  const { http, mqtt } = features;
  logger.info(
    { http: http.port, broker: mqtt.brokerPort, keyId: signingKey.keyId },
    "cloud started",
  );
  return {
    httpUrl: `http://${config.http.host === "0.0.0.0" ? "127.0.0.1" : config.http.host}:${http.port}`,
    brokerPort: mqtt.brokerPort,
    services: features.services,
    store,
    logger,
    async stop() {
      const failure = await stopAll(started.splice(0), logger, "while stopping");
      if (failure !== undefined) throw failure;
    },
  };
}

async function stopFeature(
  feature: Feature,
  bus: { removeListeners(owner: Feature): void },
): Promise<void> {
  try {
    await feature.stop();
  } finally {
    bus.removeListeners(feature);
  }
}

/**
 * Stops in reverse order; a failing stop is logged and the others still run (the store still
 * closes). Returns the first failure, for stop() to report once everything was tried.
 */
async function stopAll(
  started: (() => Promise<void>)[],
  logger: Logger,
  context: string,
): Promise<unknown> {
  let first: unknown;
  for (const stop of [...started].reverse()) {
    await stop().catch((stopError: Error) => {
      first ??= stopError;
      logger.warn({ err: stopError.message }, context);
    });
  }
  return first;
}
