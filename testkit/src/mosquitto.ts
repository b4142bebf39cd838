import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LocalBinaries } from "./binaries.js";
import { spawnManaged, waitUntilReady } from "./childProcess.js";
import { loadTestcontainers } from "./containers.js";
import { freePort } from "./freePort.js";
import { mosquittoConfig } from "./mosquittoConfig.js";
import { onceAsync } from "./once.js";
import { tcpConnects } from "./tcpProbe.js";
import { makeTempDir } from "./tempDir.js";
import type { MosquittoOptions, MosquittoService } from "./types.js";

const HOST = "127.0.0.1";

/** An external broker: used as is, and left running on stop. */
export function mosquittoFromUrl(url: string): MosquittoService {
  const parsed = new URL(url);
  const port = Number(parsed.port || 1883);
  return { url, source: "env", host: parsed.hostname, port, stop: async () => {} };
}

export async function startLocalMosquitto(
  binaries: LocalBinaries["mosquitto"],
  options: MosquittoOptions = {},
): Promise<MosquittoService> {
  const port = options.port ?? (await freePort());
  const dir = await makeTempDir("mosquitto");
  const configFile = join(dir.path, "mosquitto.conf");
  const stayRoot = process.getuid?.() === 0;
  await writeFile(configFile, mosquittoConfig({ ...options, port, bindAddress: HOST, stayRoot }));
  // The same command each time: `resume()` brings back the broker `halt()` stopped.
  const launch = () =>
    spawnManaged({
      name: "mosquitto",
      command: binaries.mosquitto,
      args: ["-c", configFile],
      cwd: dir.path,
    });
  let proc = launch();
  const stop = onceAsync(async () => {
    await proc.stop();
    await dir.remove();
  });
  try {
    await waitUntilReady(proc, () => tcpConnects(HOST, port));
  } catch (error) {
    await stop();
    throw error;
  }
  const reload = async () => proc.signal("SIGHUP");
  const restartable = {
    halt: () => proc.stop(),
    async resume() {
      if (!proc.hasExited()) return;
      proc = launch();
      await waitUntilReady(proc, () => tcpConnects(HOST, port));
    },
  };
  return {
    url: `mqtt://${HOST}:${port}`,
    source: "local-binary",
    host: HOST,
    port,
    stop,
    reload,
    restartable,
  };
}

export async function startMosquittoContainer(
  options: MosquittoOptions = {},
): Promise<MosquittoService> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const inside = "/mosquitto/config";
  const passwordFile = options.passwordFile === undefined ? undefined : `${inside}/passwd`;
  const aclFile = options.aclFile === undefined ? undefined : `${inside}/acl`;
  const config = mosquittoConfig({
    port: 1883,
    passwordFile,
    aclFile,
    extraConfig: options.extraConfig,
  });
  // The image starts as root and mosquitto drops to its `mosquitto` user: files must be readable.
  const files = [
    { source: options.passwordFile, target: `${inside}/passwd`, mode: 0o644 },
    { source: options.aclFile, target: `${inside}/acl`, mode: 0o644 },
  ].filter(
    (file): file is { source: string; target: string; mode: number } => file.source !== undefined,
  );
  const container = await new GenericContainer("eclipse-mosquitto:2")
    .withExposedPorts(1883)
    .withCopyContentToContainer([
      { content: config, target: `${inside}/mosquitto.conf`, mode: 0o644 },
    ])
    .withCopyFilesToContainer(files)
    .withWaitStrategy(Wait.forLogMessage(/mosquitto version .+ running/))
    .start();
  const host = container.getHost();
  const port = container.getMappedPort(1883);
  const stop = onceAsync(async () => {
    await container.stop();
  });
  // The image's entrypoint execs mosquitto: it is the container's process 1.
  const reload = async () => {
    await container.exec(["kill", "-HUP", "1"]);
  };
  return { url: `mqtt://${host}:${port}`, source: "testcontainers", host, port, stop, reload };
}
