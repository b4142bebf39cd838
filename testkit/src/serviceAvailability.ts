import type { BinaryLookup, LocalBinaries } from "./binaries.js";
import type { Env } from "./dockerProbe.js";
import { TestkitError } from "./errors.js";
import type { ServiceKind } from "./types.js";

/** An externally managed server to use instead of starting one. */
export const ENV_URL_VARIABLES: Readonly<Record<ServiceKind, string>> = {
  mosquitto: "PASSERELLE_TEST_MQTT_URL",
  postgres: "PASSERELLE_TEST_POSTGRES_URL",
  influx: "PASSERELLE_TEST_INFLUX_URL",
  victoriaMetrics: "PASSERELLE_TEST_VICTORIA_METRICS_URL",
};

export const DEBIAN_PACKAGES: Readonly<Record<ServiceKind, string>> = {
  mosquitto: "mosquitto",
  postgres: "postgresql",
  influx: "influxdb",
  victoriaMetrics: "victoria-metrics",
};

const DISPLAY_NAMES: Readonly<Record<ServiceKind, string>> = {
  mosquitto: "Mosquitto",
  postgres: "PostgreSQL",
  influx: "InfluxDB",
  victoriaMetrics: "VictoriaMetrics",
};

export type ServicePlan<K extends ServiceKind> =
  | { readonly source: "env"; readonly url: string }
  | { readonly source: "testcontainers" }
  | { readonly source: "local-binary"; readonly binaries: LocalBinaries[K] }
  | { readonly source: "unavailable"; readonly reason: string };

export interface PlanDeps {
  readonly env: Env;
  dockerAvailable(): Promise<boolean>;
  readonly findBinaries: BinaryLookup;
}

export interface PlanOptions {
  /** False when the caller needs its own config (Mosquitto ACL): a URL cannot carry one. */
  readonly useEnvUrl?: boolean;
}

/** Chooses where the service comes from: env URL, then Docker, then a local binary. */
export async function planService<K extends ServiceKind>(
  kind: K,
  deps: PlanDeps,
  options: PlanOptions = {},
): Promise<ServicePlan<K>> {
  const variable = ENV_URL_VARIABLES[kind];
  const url = deps.env[variable]?.trim();
  if ((options.useEnvUrl ?? true) && url !== undefined && url !== "") {
    return { source: "env", url };
  }
  if (await deps.dockerAvailable()) return { source: "testcontainers" };
  const binaries = deps.findBinaries(kind);
  if (binaries !== undefined) return { source: "local-binary", binaries };
  const urlNote =
    options.useEnvUrl === false ? `(${variable} cannot be used here)` : `no ${variable}`;
  return {
    source: "unavailable",
    reason: `${DISPLAY_NAMES[kind]}: ${urlNote}, no Docker engine answering, no local binary`,
  };
}

/** CI must test everything; "1" is accepted too, failing is the safe side of a typo. */
export function isCi(env: Env): boolean {
  return env.CI === "true" || env.CI === "1";
}

function banner(kind: ServiceKind, reason: string): string {
  const rule = "=".repeat(78);
  return [
    rule,
    `PASSERELLE TESTKIT: ${DISPLAY_NAMES[kind]} unavailable, its integration tests are SKIPPED`,
    reason,
    `Fix: sudo apt-get install ${DEBIAN_PACKAGES[kind]}`,
    `  or set ${ENV_URL_VARIABLES[kind]}, or start a Docker engine.`,
    "(With CI=true this is an error, never a skip.)",
    rule,
  ].join("\n");
}

/**
 * On a laptop a missing service skips its tests, loudly. In CI it fails the run: a skipped
 * integration test there would look like a pass.
 */
export function reportUnavailable(
  kind: ServiceKind,
  reason: string,
  env: Env,
  warn: (message: string) => void = console.warn,
): { readonly available: false; readonly reason: string } {
  if (isCi(env)) {
    throw new TestkitError(
      "service.unavailable",
      `${reason}. CI=${env.CI}: a missing service fails the run. ` +
        `Install it (apt-get install ${DEBIAN_PACKAGES[kind]}), start Docker, ` +
        `or set ${ENV_URL_VARIABLES[kind]}.`,
    );
  }
  warn(banner(kind, reason));
  return { available: false, reason };
}
