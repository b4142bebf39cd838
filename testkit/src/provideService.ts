import { findLocalBinaries, type LocalBinaries } from "./binaries.js";
import { type Env, probeDocker } from "./dockerProbe.js";
import { TestkitError } from "./errors.js";
import { influxFromUrl, startInfluxContainer, startLocalInflux } from "./influx.js";
import { mosquittoFromUrl, startLocalMosquitto, startMosquittoContainer } from "./mosquitto.js";
import { postgresFromUrl, startLocalPostgres, startPostgresContainer } from "./postgres.js";
import { type PlanDeps, planService, reportUnavailable } from "./serviceAvailability.js";
import type {
  MosquittoOptions,
  Restartable,
  ServiceKind,
  ServiceMap,
  ServiceOptionsMap,
} from "./types.js";
import {
  startLocalVictoriaMetrics,
  startVictoriaMetricsContainer,
  victoriaMetricsFromUrl,
} from "./victoriaMetrics.js";

export type ServiceProvision<K extends ServiceKind> =
  | { readonly available: true; readonly service: ServiceMap[K] }
  | { readonly available: false; readonly reason: string };

export interface ProvideDeps extends PlanDeps {
  readonly warn?: (message: string) => void;
}

interface Driver<K extends ServiceKind> {
  fromUrl(url: string): Promise<ServiceMap[K]>;
  inContainer(options: ServiceOptionsMap[K]): Promise<ServiceMap[K]>;
  fromBinaries(binaries: LocalBinaries[K], options: ServiceOptionsMap[K]): Promise<ServiceMap[K]>;
}

const drivers: { [K in ServiceKind]: Driver<K> } = {
  mosquitto: {
    fromUrl: async (url) => mosquittoFromUrl(url),
    inContainer: startMosquittoContainer,
    fromBinaries: startLocalMosquitto,
  },
  postgres: {
    fromUrl: postgresFromUrl,
    inContainer: () => startPostgresContainer(),
    fromBinaries: (binaries) => startLocalPostgres(binaries),
  },
  influx: {
    fromUrl: async (url) => influxFromUrl(url),
    inContainer: () => startInfluxContainer(),
    fromBinaries: (binaries) => startLocalInflux(binaries),
  },
  victoriaMetrics: {
    fromUrl: async (url) => victoriaMetricsFromUrl(url),
    inContainer: () => startVictoriaMetricsContainer(),
    fromBinaries: (binaries) => startLocalVictoriaMetrics(binaries),
  },
};

let dockerProbe: Promise<boolean> | undefined;

/** PASSERELLE_TEST_DOCKER=0 skips Docker (faster local binaries, or an offline laptop). */
function dockerAvailable(env: Env): Promise<boolean> {
  if (env.PASSERELLE_TEST_DOCKER === "0" || env.PASSERELLE_TEST_DOCKER === "false") {
    return Promise.resolve(false);
  }
  dockerProbe ??= probeDocker(env);
  return dockerProbe;
}

export function defaultDeps(env: Env = process.env): ProvideDeps {
  return {
    env,
    dockerAvailable: () => dockerAvailable(env),
    findBinaries: (kind) => findLocalBinaries(kind, env),
  };
}

/**
 * The one entry point for test files: a running service, or (outside CI) the reason there is
 * none, for `describe.skipIf`. The caller stops the service in afterAll.
 */
export async function provideService<K extends ServiceKind>(
  kind: K,
  options: ServiceOptionsMap[K] = {} as ServiceOptionsMap[K],
  deps: ProvideDeps = defaultDeps(),
): Promise<ServiceProvision<K>> {
  // A URL cannot carry a broker config (password file, ACL): such callers start their own.
  const needsOwnConfig = Object.values(options).some((value) => value !== undefined);
  const plan = await planService(kind, deps, { useEnvUrl: !needsOwnConfig });
  const driver: Driver<K> = drivers[kind];
  switch (plan.source) {
    case "env":
      return { available: true, service: await driver.fromUrl(plan.url) };
    case "testcontainers":
      return { available: true, service: await driver.inContainer(options) };
    case "local-binary":
      return { available: true, service: await driver.fromBinaries(plan.binaries, options) };
    case "unavailable":
      return reportUnavailable(kind, plan.reason, deps.env, deps.warn);
  }
}

type RestartableKind = "postgres" | "mosquitto";

export type RestartableProvision<K extends RestartableKind> =
  | { readonly available: true; readonly service: ServiceMap[K] & { restartable: Restartable } }
  | { readonly available: false; readonly reason: string };

/**
 * A server of the caller's own, which it may stop and start again (`service.restartable`):
 * always the local binary, never a URL's server (others use it) nor a container (its port and
 * files do not survive a stop). Unavailable as provideService says, so CI fails, never skips.
 */
export async function provideRestartable<K extends RestartableKind>(
  kind: K,
  options: ServiceOptionsMap[K] = {} as ServiceOptionsMap[K],
  deps: ProvideDeps = defaultDeps(),
): Promise<RestartableProvision<K>> {
  const binaries = deps.findBinaries(kind);
  if (binaries === undefined) {
    const reason = `${kind}: no local binary, which a restartable server needs`;
    return reportUnavailable(kind, reason, deps.env, deps.warn);
  }
  const service = await drivers[kind].fromBinaries(binaries, options);
  if (service.restartable === undefined) {
    throw new TestkitError("service.start-failed", `${kind}: the local server is not restartable`);
  }
  return { available: true, service: { ...service, restartable: service.restartable } };
}

/**
 * The service of a provision, for use inside `describe.skipIf(!provision.available)` where
 * TypeScript cannot see that the suite only runs when it is available.
 */
export function serviceOf<K extends ServiceKind>(provision: ServiceProvision<K>): ServiceMap[K] {
  if (!provision.available) throw new TestkitError("service.unavailable", provision.reason);
  return provision.service;
}

async function requireService<K extends ServiceKind>(kind: K, options?: ServiceOptionsMap[K]) {
  return serviceOf(await provideService(kind, options));
}

/** Same resolution order as provideService, but throws when the service is unavailable. */
export function startMosquitto(options: MosquittoOptions = {}) {
  return requireService("mosquitto", options);
}

export function startPostgres() {
  return requireService("postgres");
}

export function startInflux() {
  return requireService("influx");
}

export function startVictoriaMetrics() {
  return requireService("victoriaMetrics");
}
