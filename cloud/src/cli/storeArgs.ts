import type { ParseArgsConfig } from "node:util";
import { pino } from "pino";
import { AuditLog } from "../audit/auditLog.js";
import { type ServiceDeps, serviceDeps, systemClock } from "../domain/serviceDeps.js";
import { openStore, type Store } from "../store/openStore.js";
import { UsageError } from "./cliIo.js";

/** `--data-dir` and `--postgres-url`, shared by every command that opens the database. */
export const storeOptions = {
  "data-dir": { type: "string" },
  "postgres-url": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export const storeUsage = [
  "  --data-dir DIR        the cloud's data directory (env PASSERELLE_DATA_DIR): SQLite database",
  "                        and signing key",
  "  --postgres-url URL    use PostgreSQL instead of SQLite (env PASSERELLE_POSTGRES_URL)",
];

export interface StoreArgs {
  readonly dataDir?: string;
  readonly postgresUrl?: string;
}

/** The options, else the environment. No default directory: a typo must not make a new database. */
export function storeArgs(
  values: { "data-dir"?: string; "postgres-url"?: string },
  env: NodeJS.ProcessEnv,
): StoreArgs {
  const dataDir = values["data-dir"] ?? env.PASSERELLE_DATA_DIR;
  const postgresUrl = values["postgres-url"] ?? env.PASSERELLE_POSTGRES_URL;
  return {
    ...(dataDir ? { dataDir } : {}),
    ...(postgresUrl ? { postgresUrl } : {}),
  };
}

export function requireDataDir(args: StoreArgs): string {
  if (args.dataDir === undefined) {
    throw new UsageError("--data-dir (or PASSERELLE_DATA_DIR) is required");
  }
  return args.dataDir;
}

/** Opens the cloud's database; migrates it unless told not to (migrate itself reports). */
export async function openCliStore(args: StoreArgs, migrate = true): Promise<Store> {
  if (args.postgresUrl !== undefined) return openStore({ postgresUrl: args.postgresUrl, migrate });
  return openStore({ dataDir: requireDataDir(args), migrate });
}

/**
 * Services as the CLI uses them: changes are audited like the API's (same hash chain), bundles
 * are not published (no broker here): a running cloud recompiles on its next change or refresh,
 * and a gateway asks for its bundle when it connects.
 */
export function cliDeps(store: Store): ServiceDeps {
  const audit = new AuditLog(store, systemClock);
  return serviceDeps(store, {
    clock: systemClock,
    logger: pino({ level: "silent" }),
    hooks: { onAccessRulesChanged: () => {}, audit: audit.recordChange },
  });
}
