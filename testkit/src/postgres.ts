import { chown } from "node:fs/promises";
import { join } from "node:path";
import type { LocalBinaries } from "./binaries.js";
import { runToCompletion, spawnManaged, waitUntilReady } from "./childProcess.js";
import { loadTestcontainers } from "./containers.js";
import { TestkitError } from "./errors.js";
import { freePort } from "./freePort.js";
import { onceAsync } from "./once.js";
import { canConnect, createFreshDatabase } from "./postgresDatabase.js";
import { lookupSystemUser, type SystemUser } from "./systemUser.js";
import { makeTempDir } from "./tempDir.js";
import type { PostgresService } from "./types.js";

const HOST = "127.0.0.1";

/** An external server: the caller gets its own new database, dropped on stop. */
export async function postgresFromUrl(serverUrl: string): Promise<PostgresService> {
  const fresh = await createFreshDatabase(serverUrl);
  return { url: fresh.url, database: fresh.database, source: "env", stop: onceAsync(fresh.drop) };
}

/** PostgreSQL refuses to run as root ("root execution … not permitted"), so become `postgres`. */
async function serverOwner(): Promise<SystemUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const owner = await lookupSystemUser("postgres");
  if (owner === undefined) {
    throw new TestkitError(
      "service.start-failed",
      "running as root and there is no `postgres` user in /etc/passwd; PostgreSQL will not run as root",
    );
  }
  return owner;
}

export async function startLocalPostgres(
  binaries: LocalBinaries["postgres"],
): Promise<PostgresService> {
  const dir = await makeTempDir("postgres");
  let stopServer = async () => {};
  const stop = onceAsync(async () => {
    await stopServer();
    await dir.remove();
  });
  try {
    const owner = await serverOwner();
    if (owner !== undefined) await chown(dir.path, owner.uid, owner.gid);
    const dataDir = join(dir.path, "data");
    const asOwner = { cwd: dir.path, uid: owner?.uid, gid: owner?.gid };
    await runToCompletion({
      name: "initdb",
      command: binaries.initdb,
      // --locale=C: the same collation everywhere, whatever the machine's LANG.
      args: [
        "-D",
        dataDir,
        "-A",
        "trust",
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
      ],
      ...asOwner,
    });
    const port = await freePort();
    const url = `postgresql://postgres@${HOST}:${port}/postgres`;
    // The same command each time: `resume()` brings back the server `halt()` stopped.
    const launch = async () => {
      const proc = spawnManaged({
        name: "postgres",
        command: binaries.postgres,
        args: [
          "-D",
          dataDir,
          "-p",
          String(port),
          "-k",
          dir.path,
          "-c",
          `listen_addresses=${HOST}`,
        ].concat(["-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"]),
        ...asOwner,
        // SIGINT is "fast shutdown"; SIGQUIT, if we die first, is "immediate" and still cleans up.
        stopSignal: "SIGINT",
        orphanSignal: "SIGQUIT",
      });
      stopServer = () => proc.stop();
      await waitUntilReady(proc, () => canConnect(url));
    };
    await launch();
    let halted = false;
    const restartable = {
      async halt() {
        halted = true;
        await stopServer();
      },
      async resume() {
        if (!halted) return;
        halted = false;
        await launch();
      },
    };
    return { url, database: "postgres", source: "local-binary", stop, restartable };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function startPostgresContainer(): Promise<PostgresService> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const password = "passerelle";
  const container = await new GenericContainer("postgres:16-alpine")
    .withEnvironment({ POSTGRES_PASSWORD: password })
    .withCommand(["postgres", "-c", "fsync=off", "-c", "full_page_writes=off"])
    .withTmpFs({ "/var/lib/postgresql/data": "rw" })
    .withExposedPorts(5432)
    // The image's entrypoint starts a temporary server first: the second message is the real one.
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const url = `postgresql://postgres:${password}@${container.getHost()}:${container.getMappedPort(5432)}/postgres`;
  const stop = onceAsync(async () => {
    await container.stop();
  });
  return { url, database: "postgres", source: "testcontainers", stop };
}
