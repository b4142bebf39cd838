import type { LocalBinaries } from "./binaries.js";
import { spawnManaged, waitUntilReady } from "./childProcess.js";
import { loadTestcontainers } from "./containers.js";
import { freePort } from "./freePort.js";
import { onceAsync } from "./once.js";
import { makeTempDir } from "./tempDir.js";
import type { VictoriaMetricsService } from "./types.js";

/** An external server: used as is; tests should pick unique series (tags) on it. */
export function victoriaMetricsFromUrl(url: string): VictoriaMetricsService {
  return { url: url.replace(/\/+$/, ""), source: "env", stop: async () => {} };
}

/** GET /health answers "OK" once the HTTP listener is up. */
async function healthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
  return response.ok;
}

/** Debian's victoria-metrics on a random loopback port, its data in a temporary directory. */
export async function startLocalVictoriaMetrics(
  binaries: LocalBinaries["victoriaMetrics"],
): Promise<VictoriaMetricsService> {
  const port = await freePort();
  const dir = await makeTempDir("victoria-metrics");
  const proc = spawnManaged({
    name: "victoria-metrics",
    command: binaries.victoriaMetrics,
    args: [
      `-storageDataPath=${dir.path}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      "-retentionPeriod=100y",
      // Points written a moment ago must be exportable at once, not after the 30 s cache delay.
      "-search.latencyOffset=0s",
      "-loggerLevel=WARN",
    ],
    cwd: dir.path,
  });
  const stop = onceAsync(async () => {
    await proc.stop();
    await dir.remove();
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(proc, () => healthy(url));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, source: "local-binary", stop };
}

export async function startVictoriaMetricsContainer(): Promise<VictoriaMetricsService> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const container = await new GenericContainer("victoriametrics/victoria-metrics:v1.93.16")
    .withCommand(["-retentionPeriod=100y", "-search.latencyOffset=0s"])
    .withExposedPorts(8428)
    .withWaitStrategy(Wait.forHttp("/health", 8428).forStatusCode(200))
    .start();
  const url = `http://${container.getHost()}:${container.getMappedPort(8428)}`;
  const stop = onceAsync(async () => {
    await container.stop();
  });
  return { url, source: "testcontainers", stop };
}
