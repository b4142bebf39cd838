import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Env } from "./dockerProbe.js";
import type { ServiceKind } from "./types.js";

/** The executables each service needs when it runs as a local process. */
export interface LocalBinaries {
  mosquitto: { readonly mosquitto: string };
  postgres: { readonly initdb: string; readonly postgres: string };
  influx: { readonly influxd: string };
  victoriaMetrics: { readonly victoriaMetrics: string };
}

export type BinaryLookup = <K extends ServiceKind>(kind: K) => LocalBinaries[K] | undefined;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pathDirectories(env: Env): string[] {
  return (env.PATH ?? "").split(delimiter).filter((dir) => dir.length > 0);
}

/** Looks on PATH first, then in the given directories (sbin is often off a user's PATH). */
export function findExecutable(name: string, env: Env, extraDirs: readonly string[] = []) {
  for (const dir of [...pathDirectories(env), ...extraDirs]) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Debian installs each major version side by side; prefer the newest. */
function debianPostgresDirs(root = "/usr/lib/postgresql"): string[] {
  try {
    return readdirSync(root)
      .filter((version) => /^\d+(\.\d+)?$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => join(root, version, "bin"));
  } catch {
    return [];
  }
}

function findPostgres(env: Env): LocalBinaries["postgres"] | undefined {
  // initdb and postgres must come from the same installation, so look for a directory with both.
  for (const dir of [...pathDirectories(env), ...debianPostgresDirs()]) {
    const initdb = join(dir, "initdb");
    const postgres = join(dir, "postgres");
    if (isExecutable(initdb) && isExecutable(postgres)) return { initdb, postgres };
  }
  return undefined;
}

const lookups: { [K in ServiceKind]: (env: Env) => LocalBinaries[K] | undefined } = {
  mosquitto: (env) => {
    const mosquitto = findExecutable("mosquitto", env, ["/usr/sbin", "/usr/local/sbin"]);
    return mosquitto === undefined ? undefined : { mosquitto };
  },
  postgres: findPostgres,
  influx: (env) => {
    const influxd = findExecutable("influxd", env, ["/usr/bin", "/usr/local/bin"]);
    return influxd === undefined ? undefined : { influxd };
  },
  victoriaMetrics: (env) => {
    const victoriaMetrics = findExecutable("victoria-metrics", env, ["/usr/bin", "/usr/local/bin"]);
    return victoriaMetrics === undefined ? undefined : { victoriaMetrics };
  },
};

export function findLocalBinaries<K extends ServiceKind>(
  kind: K,
  env: Env = process.env,
): LocalBinaries[K] | undefined {
  return lookups[kind](env);
}
