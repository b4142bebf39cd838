import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findExecutable, freePorts, influxConfig } from "@passerelle/testkit";

export const demoInfluxDatabase = "passerelle";

export interface DemoInflux {
  readonly url: string;
  /** True when the demo started it (and so stops it). */
  readonly own: boolean;
  stop(): Promise<void>;
}

async function pings(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return response.status === 204;
  } catch {
    return false;
  }
}

/** CREATE DATABASE is idempotent in InfluxDB 1.x: safe on every start. */
async function createDatabase(url: string): Promise<void> {
  const response = await fetch(`${url}/query`, {
    method: "POST",
    body: new URLSearchParams({ q: `CREATE DATABASE ${demoInfluxDatabase}` }),
  });
  if (!response.ok)
    throw new Error(`InfluxDB at ${url}: CREATE DATABASE answered ${response.status}`);
}

/**
 * The demo's InfluxDB: the one given (--influx-url), or an influxd of the PATH started on free
 * loopback ports with its data in DATA_DIR/influxdb (kept across restarts, like the rest of the
 * demo), or none. Uses the testkit's influxd config writer (the same file the tests run on).
 */
export async function startDemoInflux(
  dataDir: string,
  given: string | undefined,
): Promise<DemoInflux | undefined> {
  if (given !== undefined) {
    const url = given.replace(/\/+$/, "");
    await createDatabase(url);
    return { url, own: false, stop: async () => {} };
  }
  const influxd = findExecutable("influxd", process.env, ["/usr/bin", "/usr/local/bin"]);
  if (influxd === undefined) return undefined;
  const [httpPort, rpcPort] = await freePorts(2);
  if (httpPort === undefined || rpcPort === undefined) throw new Error("no free ports for influxd");
  const dir = join(dataDir, "influxdb");
  await mkdir(dir, { recursive: true });
  const configFile = join(dir, "influxdb.conf");
  await writeFile(configFile, influxConfig({ dir, httpPort, rpcPort }));
  const log = createWriteStream(join(dataDir, "influxd.log"), { flags: "a" });
  const child = spawn(influxd, ["run", "-config", configFile], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    // Own process group: Ctrl-C reaches the launcher, which stops influxd after the cloud.
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    log.end();
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 30_000;
  while (!(await pings(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`influxd did not start (see ${join(dataDir, "influxd.log")})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await createDatabase(url);
  return { url, own: true, stop };
}

/** What the banner says about the time series and Grafana. */
export function influxBannerLines(influx: DemoInflux | undefined, skipped: boolean): string[] {
  if (influx === undefined) {
    return [
      skipped
        ? "Time series: off (--no-influx)."
        : "Time series: off (no influxd on the PATH: apt install influxdb, or --influx-url URL).",
    ];
  }
  return [
    `Time series: InfluxDB ${influx.url}, database ${demoInfluxDatabase}${influx.own ? " (the demo's own influxd)" : ""}.`,
    "Grafana: provision it from deploy/grafana/ (docs/dashboards.md), with its InfluxDB",
    `  datasource (uid passerelle-influxdb) pointed at ${influx.url}, database ${demoInfluxDatabase}.`,
  ];
}
