import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { demoCentres } from "./demoNetwork.js";

const repo = new URL("../../../", import.meta.url).pathname;

export interface LauncherOptions {
  readonly centres: number;
  readonly people: number;
  readonly speed: number;
  readonly seed: string;
  readonly dataDir: string;
  readonly httpPort: number;
  readonly mqttPort: number;
  readonly devicePort: number;
  readonly brokerUrl: string | undefined;
  readonly postgresUrl: string | undefined;
  readonly readers: "in-process" | "pcscd";
  /** With --readers pcscd: vpcd's port, and the centre whose entrance reads through it. */
  readonly vpcdPort: number;
  readonly pcscCentre: string | undefined;
  readonly openingHours: "declared" | "round-the-clock";
  /** Local time the simulated day starts at (speed > 1); with speed 1 it is now. */
  readonly dayStart: string;
  readonly logLevel: string;
  /** An existing InfluxDB 1.x to write to; else the demo starts its own influxd if on PATH. */
  readonly influxUrl: string | undefined;
  /** --no-influx: no time series at all. */
  readonly noInflux: boolean;
  readonly help: boolean;
}

export const launcherUsage = `npm start -- [options]   the whole Passerelle network on this machine

  --centres N        centres of the demo network, 1-${demoCentres.length} (default ${demoCentres.length})
  --people N         simulated workers (default 120)
  --speed X          simulated minutes per real minute for people's routines (default 30:
                     a working day in about 20 minutes); doors always run in real time
  --seed S           same seed, same people and same day (default "passerelle")
  --day-start HH:MM  local time the simulated day starts at (default 07:30; with --speed 1, now)
  --data-dir DIR     where the demo keeps its state (default ./.demo-data); a second start
                     with the same directory resumes (no reseeding)
  --http-port N      console and API (default 8080; the next free port if busy)
  --mqtt-port N      embedded MQTT broker (default 1883; the next free port if busy)
  --device-port N    simulated hardware's device server (default 7399; next free if busy)
  --broker-url URL   an external broker instead of the embedded one:
                     mqtt://passerelle-cloud:PASSWORD@host:1883 (the cloud's service login;
                     the gateways' entries are written to DATA_DIR/mosquitto.passwd)
  --postgres-url URL PostgreSQL instead of SQLite (postgresql://user:pass@host/db)
  --readers MODE     in-process (default): simulated readers on the device server;
                     pcscd: one centre's cards go through a real pcscd with the vpcd
                     driver (a running pcscd: apt install pcscd vsmartcard-vpcd)
  --pcsc-centre ID   with --readers pcscd: that centre (default: the first one)
  --vpcd-port N      with --readers pcscd: vpcd's TCP port (default 35963)
  --opening-hours H  round-the-clock (default when --speed > 1: a compressed day must not be
                     refused by the wall clock) or declared (each centre's real hours)
  --log-level L      cloud and gateway log level in their log files (default info)
  --influx-url URL   write time series to this InfluxDB 1.x (http://host:8086, database
                     passerelle) instead of the demo's own influxd, started on a free port
                     in DATA_DIR/influxdb when an influxd binary is on the PATH
  --no-influx        no time series
  --help             this text

Centres, people, seed and opening hours are fixed at the first start of a data directory.`;

function number(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(
      `--${name}: expected a number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  name: string,
  text: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    throw new Error(
      `--${name}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(text)}`,
    );
  }
  return text as T;
}

/** Parses the command line; throws one error naming the option that is wrong. */
export function parseLauncherOptions(args: readonly string[]): LauncherOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      centres: { type: "string" },
      people: { type: "string" },
      speed: { type: "string" },
      seed: { type: "string" },
      "day-start": { type: "string" },
      "data-dir": { type: "string" },
      "http-port": { type: "string" },
      "mqtt-port": { type: "string" },
      "device-port": { type: "string" },
      "broker-url": { type: "string" },
      "postgres-url": { type: "string" },
      readers: { type: "string" },
      "pcsc-centre": { type: "string" },
      "vpcd-port": { type: "string" },
      "opening-hours": { type: "string" },
      "log-level": { type: "string" },
      "influx-url": { type: "string" },
      "no-influx": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  const speed = number("speed", values.speed, 30, 0.1, 10_000);
  const dayStart = values["day-start"] ?? "07:30";
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(dayStart)) {
    throw new Error(`--day-start: expected HH:MM, got ${JSON.stringify(dayStart)}`);
  }
  if (values["broker-url"] !== undefined && !/^mqtts?:\/\//.test(values["broker-url"])) {
    throw new Error("--broker-url: expected mqtt://user:password@host:port or mqtts://…");
  }
  if (values["postgres-url"] !== undefined && !/^postgres(ql)?:\/\//.test(values["postgres-url"])) {
    throw new Error("--postgres-url: expected postgresql://user:password@host:port/database");
  }
  if (values["influx-url"] !== undefined && !/^https?:\/\//.test(values["influx-url"])) {
    throw new Error("--influx-url: expected http://host:port");
  }
  if (values["influx-url"] !== undefined && values["no-influx"]) {
    throw new Error("--influx-url and --no-influx contradict each other");
  }
  return {
    centres: number("centres", values.centres, demoCentres.length, 1, demoCentres.length),
    people: number("people", values.people, 120, 1, 20_000),
    speed,
    seed: values.seed ?? "passerelle",
    dataDir: resolve(values["data-dir"] ?? resolve(repo, ".demo-data")),
    httpPort: number("http-port", values["http-port"], 8080, 1, 65_535),
    mqttPort: number("mqtt-port", values["mqtt-port"], 1883, 1, 65_535),
    devicePort: number("device-port", values["device-port"], 7399, 1, 65_535),
    brokerUrl: values["broker-url"],
    postgresUrl: values["postgres-url"],
    readers: oneOf("readers", values.readers, ["in-process", "pcscd"] as const, "in-process"),
    vpcdPort: number("vpcd-port", values["vpcd-port"], 35_963, 1, 65_535),
    pcscCentre: values["pcsc-centre"],
    openingHours: oneOf(
      "opening-hours",
      values["opening-hours"],
      ["declared", "round-the-clock"] as const,
      speed === 1 ? "declared" : "round-the-clock",
    ),
    dayStart,
    logLevel: oneOf(
      "log-level",
      values["log-level"],
      ["fatal", "error", "warn", "info", "debug"] as const,
      "info",
    ),
    influxUrl: values["influx-url"],
    noInflux: values["no-influx"] ?? false,
    help: values.help ?? false,
  };
}
