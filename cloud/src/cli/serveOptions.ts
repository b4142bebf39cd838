import { readFileSync } from "node:fs";
import type { ParseArgsConfig } from "node:util";
import type { BrokerMode } from "../cloudMqtt.js";
import type { CloudConfig } from "../server.js";
import type { TimeSeriesConfig } from "../timeseries/timeSeriesConfig.js";
import { UsageError } from "./cliIo.js";
import type { OptionValues } from "./command.js";

/**
 * `serve`'s options. Each one has a PASSERELLE_* twin so a systemd EnvironmentFile can hold the
 * whole configuration (deploy/cloud/cloud.env.example); the option wins over the variable.
 */
export const serveOptionSpecs = {
  "data-dir": { env: "PASSERELLE_DATA_DIR" },
  "postgres-url": { env: "PASSERELLE_POSTGRES_URL" },
  "http-host": { env: "PASSERELLE_HTTP_HOST", default: "127.0.0.1" },
  "http-port": { env: "PASSERELLE_HTTP_PORT", default: "8080" },
  broker: { env: "PASSERELLE_BROKER", default: "embedded" },
  "broker-host": { env: "PASSERELLE_BROKER_HOST", default: "127.0.0.1" },
  "broker-port": { env: "PASSERELLE_BROKER_PORT", default: "1883" },
  "broker-url": { env: "PASSERELLE_BROKER_URL" },
  "broker-username": { env: "PASSERELLE_BROKER_USERNAME", default: "passerelle-cloud" },
  "broker-ca": { env: "PASSERELLE_BROKER_CA" },
  "base-topic": { env: "PASSERELLE_BASE_TOPIC" },
  "log-level": { env: "PASSERELLE_LOG_LEVEL", default: "info" },
  "trust-proxy": { env: "PASSERELLE_TRUST_PROXY" },
  "public-url": { env: "PASSERELLE_PUBLIC_URL" },
  "smtp-url": { env: "PASSERELLE_SMTP_URL" },
  "mail-from": { env: "PASSERELLE_MAIL_FROM" },
  "influx-url": { env: "PASSERELLE_INFLUX_URL" },
  "influx-client": { env: "PASSERELLE_INFLUX_CLIENT", default: "v1" },
  "influx-db": { env: "PASSERELLE_INFLUX_DB", default: "passerelle" },
  "influx-username": { env: "PASSERELLE_INFLUX_USERNAME" },
  "influx-org": { env: "PASSERELLE_INFLUX_ORG", default: "passerelle" },
  "influx-bucket": { env: "PASSERELLE_INFLUX_BUCKET" },
  "sun-keys-file": { env: "PASSERELLE_SUN_KEYS_FILE" },
} as const satisfies Record<string, { env: string; default?: string }>;

type ServeOptionName = keyof typeof serveOptionSpecs;

export const serveParseOptions = {
  ...Object.fromEntries(Object.keys(serveOptionSpecs).map((name) => [name, { type: "string" }])),
  // Declared only to refuse it with the reason, rather than as an unknown option.
  "broker-password": { type: "string" },
} as NonNullable<ParseArgsConfig["options"]>;

export const serveUsage = [
  "  --data-dir DIR        data directory: SQLite database and bundle-signing key (required)",
  "  --postgres-url URL    PostgreSQL instead of SQLite; prefer PASSERELLE_POSTGRES_URL, since",
  "                        the URL may hold a password and argv is visible in ps",
  "  --http-host H         HTTP address (default 127.0.0.1: put a TLS reverse proxy in front)",
  "  --http-port P         HTTP port (default 8080; 0 picks a free one)",
  "  --broker MODE         embedded (aedes in this process, default) or external",
  "  --broker-host H       embedded broker address (default 127.0.0.1; 0.0.0.0 faces gateways)",
  "  --broker-port P       embedded broker port (default 1883; 0 picks a free one)",
  "  --broker-url URL      external broker, mqtt://host:1883 or mqtts://host:8883",
  "  --broker-username U   external broker user (default passerelle-cloud, as in",
  "                        deploy/mosquitto/acl); its password only from PASSERELLE_BROKER_PASSWORD",
  "  --broker-ca FILE      CA certificate (PEM) of an mqtts:// broker with a private CA",
  "  --base-topic T        MQTT base topic (default passerelle/v1)",
  "  --log-level L         fatal, error, warn, info (default), debug, trace or silent",
  "  --trust-proxy P       behind a TLS reverse proxy: its address(es), comma-separated, or",
  "                        true; X-Forwarded-For/-Proto are then believed (off by default)",
  "  --public-url URL      the console's address as people reach it (https://...): the base",
  "                        of the links in invitation and password-reset e-mails",
  "  --smtp-url URL        SMTP relay for those e-mails, smtp://user:pass@host:587 or smtps://;",
  "                        prefer PASSERELLE_SMTP_URL (it may hold a password); needs",
  "                        --public-url and --mail-from. Without it, invitation links are",
  "                        only shown to the inviter and password reset is off",
  '  --mail-from ADDR      From of those e-mails, e.g. "Passerelle <no-reply@example.org>"',
  "  --influx-url URL      write time series to this InfluxDB (http://host:8086); unset: none",
  "  --influx-client C     v1 (the influx package, /write + InfluxQL: InfluxDB 1.x, default) or",
  "                        v2 (@influxdata/influxdb-client, /api/v2/write: InfluxDB 2.x, 1.8+,",
  "                        3 Core, VictoriaMetrics); the v2 token only from PASSERELLE_INFLUX_TOKEN",
  "  --influx-db DB        v1 database (default passerelle)",
  "  --influx-username U   v1 user; its password only from PASSERELLE_INFLUX_PASSWORD",
  "  --influx-org O        v2 organisation (default passerelle)",
  "  --influx-bucket B     v2 bucket (default: the --influx-db value)",
  "  --sun-keys-file F     the network's SUN verification set (JSON, mode 0600): enrols",
  "                        NTAG 424 DNA cards from a SUN URL (docs/hardware.md)",
  "",
  "Every option can also come from its environment variable: --http-port from",
  "PASSERELLE_HTTP_PORT, and so on (PASSERELLE_ and the name in capitals, - as _).",
  "PASSERELLE_METRICS_TOKEN (environment only) is the bearer token Prometheus presents at",
  "/metrics; without it /metrics is not served.",
  "Logs are JSON lines on stdout. SIGTERM or SIGINT stops cleanly (events received are",
  "committed and acked first), exit 0; a second signal exits at once.",
];

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** Where a value came from, for messages that name what the operator must change. */
function sourceOf(name: ServeOptionName, values: OptionValues): string {
  return typeof values[name] === "string" ? `--${name}` : serveOptionSpecs[name].env;
}

/**
 * The option, else its environment variable, else its default. An empty variable counts as
 * unset: `PASSERELLE_BROKER_URL=` left in an env file must not mean "a broker at ''".
 */
function read(name: ServeOptionName, values: OptionValues, env: NodeJS.ProcessEnv) {
  const given = values[name];
  if (typeof given === "string") return given;
  const fromEnv = env[serveOptionSpecs[name].env];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const spec: { readonly default?: string } = serveOptionSpecs[name] as { default?: string };
  return spec.default;
}

function isExplicit(name: ServeOptionName, values: OptionValues, env: NodeJS.ProcessEnv) {
  const fromEnv = env[serveOptionSpecs[name].env];
  return typeof values[name] === "string" || (fromEnv !== undefined && fromEnv !== "");
}

/**
 * The cloud's configuration from the options and the environment, checked all at once so an
 * operator fixes a unit file in one go instead of one restart per mistake (docs/operations.md
 * "Running the cloud"): a UsageError lists every problem, each naming its option or variable.
 */
export function serveConfig(values: OptionValues, env: NodeJS.ProcessEnv): CloudConfig {
  const problems: string[] = [];
  if (typeof values["broker-password"] === "string") {
    problems.push(
      "--broker-password: passwords are never taken on the command line (shell history, ps); set PASSERELLE_BROKER_PASSWORD",
    );
  }
  const get = (name: ServeOptionName) => read(name, values, env);
  const port = (name: ServeOptionName): number => {
    const text = get(name) ?? "";
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > 65_535) {
      problems.push(`${sourceOf(name, values)}: a port number 0-65535 is needed, not "${text}"`);
    }
    return value;
  };

  const dataDir = get("data-dir");
  if (dataDir === undefined) problems.push("--data-dir (or PASSERELLE_DATA_DIR) is required");
  const postgresUrl = get("postgres-url");
  if (postgresUrl !== undefined && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    problems.push(`${sourceOf("postgres-url", values)}: a postgres:// URL is needed`);
  }
  const httpHost = get("http-host") as string;
  const httpPort = port("http-port");
  const logLevel = get("log-level") as string;
  if (!logLevels.includes(logLevel)) {
    problems.push(
      `${sourceOf("log-level", values)}: one of ${logLevels.join(", ")}, not "${logLevel}"`,
    );
  }
  const baseTopic = get("base-topic");
  if (baseTopic !== undefined && (/[#+]/.test(baseTopic) || baseTopic.endsWith("/"))) {
    problems.push(`${sourceOf("base-topic", values)}: a topic without wildcards or trailing /`);
  }

  const trustProxyText = get("trust-proxy");
  const trustProxy = trustProxyText === "true" ? true : trustProxyText;
  if (trustProxyText === "false" || trustProxyText?.trim() === "") {
    problems.push(`${sourceOf("trust-proxy", values)}: leave it unset to trust no proxy`);
  }

  const publicUrl = get("public-url");
  if (publicUrl !== undefined && !/^https?:\/\/[^/]/.test(publicUrl)) {
    problems.push(`${sourceOf("public-url", values)}: an http:// or https:// URL is needed`);
  }
  const smtpUrl = get("smtp-url");
  const mailFrom = get("mail-from");
  if (smtpUrl !== undefined) {
    if (!/^smtps?:\/\/[^/]/.test(smtpUrl)) {
      problems.push(`${sourceOf("smtp-url", values)}: an smtp:// or smtps:// URL is needed`);
    }
    if (publicUrl === undefined)
      problems.push("--public-url (or PASSERELLE_PUBLIC_URL) is required with an SMTP relay");
    if (mailFrom === undefined)
      problems.push("--mail-from (or PASSERELLE_MAIL_FROM) is required with an SMTP relay");
  } else if (mailFrom !== undefined) {
    problems.push(`${sourceOf("mail-from", values)}: only with --smtp-url`);
  }

  // A secret: from the environment only, like the broker password.
  const metricsToken = env.PASSERELLE_METRICS_TOKEN;
  if (metricsToken !== undefined && metricsToken !== "" && metricsToken.length < 16) {
    problems.push("PASSERELLE_METRICS_TOKEN: at least 16 characters (openssl rand -hex 24)");
  }

  const sunKeysFile = get("sun-keys-file");
  const broker = brokerMode(values, env, problems, port);
  const timeSeries = timeSeriesOptions(values, env, problems);
  if (problems.length > 0) throw new UsageError(problems.join("\n  "));
  return {
    dataDir: dataDir as string,
    ...(postgresUrl === undefined ? {} : { postgresUrl }),
    http: { host: httpHost, port: httpPort },
    broker: broker as BrokerMode,
    logLevel,
    ...(baseTopic === undefined ? {} : { baseTopic }),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(publicUrl === undefined ? {} : { publicUrl }),
    ...(smtpUrl === undefined || mailFrom === undefined
      ? {}
      : { smtp: { url: smtpUrl, from: mailFrom } }),
    ...(metricsToken === undefined || metricsToken === "" ? {} : { metricsToken }),
    ...(timeSeries === undefined ? {} : { timeSeries }),
    ...(sunKeysFile === undefined ? {} : { sunKeysFile }),
  };
}

export function timeSeriesOptions(
  values: OptionValues,
  env: NodeJS.ProcessEnv,
  problems: string[],
): TimeSeriesConfig | undefined {
  const get = (name: ServeOptionName) => read(name, values, env);
  const url = get("influx-url");
  const client = get("influx-client");
  if (client !== "v1" && client !== "v2") {
    problems.push(`${sourceOf("influx-client", values)}: v1 or v2, not "${client}"`);
    return undefined;
  }
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/]/.test(url)) {
    problems.push(`${sourceOf("influx-url", values)}: an http:// or https:// URL is needed`);
    return undefined;
  }
  const database = get("influx-db") as string;
  if (client === "v1") {
    const username = get("influx-username");
    const password = env.PASSERELLE_INFLUX_PASSWORD;
    return {
      client,
      url,
      database,
      ...(username === undefined ? {} : { username }),
      ...(password ? { password } : {}),
    };
  }
  const token = env.PASSERELLE_INFLUX_TOKEN;
  return {
    client,
    url,
    org: get("influx-org") as string,
    bucket: get("influx-bucket") ?? database,
    ...(token ? { token } : {}),
  };
}

function brokerMode(
  values: OptionValues,
  env: NodeJS.ProcessEnv,
  problems: string[],
  port: (name: ServeOptionName) => number,
): BrokerMode | undefined {
  const get = (name: ServeOptionName) => read(name, values, env);
  const mode = get("broker");
  // Options of the other mode are a contradiction, not something to ignore quietly.
  const misplaced = (names: ServeOptionName[], where: string) => {
    for (const name of names) {
      if (isExplicit(name, values, env)) problems.push(`${sourceOf(name, values)}: only ${where}`);
    }
  };
  if (mode === "embedded") {
    misplaced(["broker-url", "broker-username", "broker-ca"], "with --broker external");
    const host = get("broker-host") as string;
    return { kind: "embedded", config: { host, port: port("broker-port") } };
  }
  if (mode !== "external") {
    problems.push(`${sourceOf("broker", values)}: embedded or external, not "${mode}"`);
    return undefined;
  }
  misplaced(["broker-host", "broker-port"], "with --broker embedded");
  const url = get("broker-url");
  if (url === undefined) {
    problems.push("--broker-url (or PASSERELLE_BROKER_URL) is required with --broker external");
  } else if (!/^mqtts?:\/\/[^/]/.test(url)) {
    problems.push(`${sourceOf("broker-url", values)}: an mqtt:// or mqtts:// URL is needed`);
  }
  const password = env.PASSERELLE_BROKER_PASSWORD;
  if (password === undefined || password === "") {
    problems.push("PASSERELLE_BROKER_PASSWORD is required with --broker external");
  }
  const caFile = get("broker-ca");
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      problems.push(`${sourceOf("broker-ca", values)}: ${(error as Error).message}`);
    }
  }
  return {
    kind: "external",
    config: {
      url: url ?? "",
      username: get("broker-username") as string,
      password: password ?? "",
      ...(ca === undefined ? {} : { tls: { ca } }),
    },
  };
}
