import { readFileSync } from "node:fs";
import { compileValidator } from "@passerelle/protocol";
import { Value } from "@sinclair/typebox/value";
import { type GatewayConfig, GatewayConfigSchema } from "./configSchema.js";

/** Raised at start when the configuration cannot be used; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid gateway configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

/**
 * Environment variables that override the file, for systemd drop-ins and containers. Secrets
 * are better passed as files (`PASSERELLE_MQTT_PASSWORD_FILE`) than as values.
 */
export const environmentOverrides: Readonly<
  Record<string, { path: string[]; type: "string" | "integer" }>
> = {
  PASSERELLE_GATEWAY_ID: { path: ["gatewayId"], type: "string" },
  PASSERELLE_CENTRE: { path: ["centre"], type: "string" },
  PASSERELLE_DATA_DIR: { path: ["dataDir"], type: "string" },
  PASSERELLE_LOG_LEVEL: { path: ["logLevel"], type: "string" },
  PASSERELLE_MQTT_URL: { path: ["mqtt", "url"], type: "string" },
  PASSERELLE_MQTT_PASSWORD: { path: ["mqtt", "password"], type: "string" },
  PASSERELLE_MQTT_PASSWORD_FILE: { path: ["mqtt", "passwordFile"], type: "string" },
  PASSERELLE_MQTT_BASE_TOPIC: { path: ["mqtt", "baseTopic"], type: "string" },
  PASSERELLE_MQTT_CA_FILE: { path: ["mqtt", "caFile"], type: "string" },
  PASSERELLE_DOOR_UNLOCK_MS: { path: ["door", "unlockMs"], type: "integer" },
  PASSERELLE_OUTBOX_CAPACITY: { path: ["outbox", "capacity"], type: "integer" },
};

const validator = compileValidator(GatewayConfigSchema);

/** Builds the configuration from parsed file content and an environment; pure, for tests. */
export function resolveConfig(
  fileContent: unknown,
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  const problems: string[] = [];
  if (typeof fileContent !== "object" || fileContent === null || Array.isArray(fileContent)) {
    throw new ConfigError(["the configuration file must hold a JSON object"]);
  }
  const config = structuredClone(fileContent) as Record<string, unknown>;
  for (const [name, { path, type }] of Object.entries(environmentOverrides)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const value = type === "integer" ? Number(raw) : raw;
    if (type === "integer" && !Number.isInteger(value)) {
      problems.push(`${name}: expected an integer, got ${JSON.stringify(raw)}`);
      continue;
    }
    setPath(config, path, value);
  }
  // Simulated hardware when none is configured (the demo); see configSchema.ts for why not there.
  config.hardware ??= { adapter: "sim" };
  const withDefaults = Value.Default(GatewayConfigSchema, config);
  if (!validator.check(withDefaults)) problems.push(...validator.errors(withDefaults, 100));
  const resolved = withDefaults as GatewayConfig;
  if (problems.length === 0) {
    if (resolved.mqtt.password === undefined && resolved.mqtt.passwordFile === undefined) {
      problems.push("/mqtt: give the broker secret as password or passwordFile");
    }
    if (resolved.mqtt.reconnectMinMs > resolved.mqtt.reconnectMaxMs) {
      problems.push("/mqtt/reconnectMinMs: must not exceed reconnectMaxMs");
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}

/** Reads the file named by the caller (or PASSERELLE_GATEWAY_CONFIG) and resolves it. */
export function loadConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): GatewayConfig {
  let content: unknown;
  try {
    content = JSON.parse(withoutCommentLines(readFileSync(path, "utf8")));
  } catch (error) {
    throw new ConfigError([`${path}: ${(error as Error).message}`]);
  }
  return resolveConfig(content, env);
}

/** The file is JSON in which whole lines starting with `//` are comments (see deploy/gateway/). */
export function withoutCommentLines(text: string): string {
  return text
    .split("\n")
    .map((line) => (/^\s*\/\//.test(line) ? "" : line))
    .join("\n");
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
