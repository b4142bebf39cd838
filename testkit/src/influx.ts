import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LocalBinaries } from "./binaries.js";
import { spawnManaged, waitUntilReady } from "./childProcess.js";
import { loadTestcontainers } from "./containers.js";
import { freePorts } from "./freePort.js";
import { influxConfig } from "./influxConfig.js";
import { onceAsync } from "./once.js";
import { makeTempDir } from "./tempDir.js";
import type { InfluxService } from "./types.js";

/** An external server: used as is; tests should pick unique database names on it. */
export function influxFromUrl(url: string): InfluxService {
  return { url: url.replace(/\/+$/, ""), source: "env", stop: async () => {} };
}

/** GET /ping answers 204 once the HTTP service (and so the meta store) is up. */
async function pings(url: string): Promise<boolean> {
  const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
  return response.status === 204;
}

export async function startLocalInflux(binaries: LocalBinaries["influx"]): Promise<InfluxService> {
  const [httpPort, rpcPort] = await freePorts(2);
  if (httpPort === undefined || rpcPort === undefined) throw new Error("no free ports");
  const dir = await makeTempDir("influx");
  const configFile = join(dir.path, "influxdb.conf");
  await writeFile(configFile, influxConfig({ dir: dir.path, httpPort, rpcPort }));
  const proc = spawnManaged({
    name: "influxd",
    command: binaries.influxd,
    args: ["run", "-config", configFile],
    cwd: dir.path,
  });
  const stop = onceAsync(async () => {
    await proc.stop();
    await dir.remove();
  });
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntilReady(proc, () => pings(url));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, source: "local-binary", stop };
}

export async function startInfluxContainer(): Promise<InfluxService> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const container = await new GenericContainer("influxdb:1.8")
    .withEnvironment({
      INFLUXDB_REPORTING_DISABLED: "true",
      INFLUXDB_DATA_QUERY_LOG_ENABLED: "false",
      INFLUXDB_MONITOR_STORE_ENABLED: "false",
    })
    .withExposedPorts(8086)
    .withWaitStrategy(Wait.forHttp("/ping", 8086).forStatusCode(204))
    .start();
  const url = `http://${container.getHost()}:${container.getMappedPort(8086)}`;
  const stop = onceAsync(async () => {
    await container.stop();
  });
  return { url, source: "testcontainers", stop };
}
