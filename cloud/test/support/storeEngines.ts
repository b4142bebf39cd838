import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provideService, serviceOf } from "@passerelle/testkit";
import pg from "pg";
import { afterAll, describe } from "vitest";
import { type Engine, openStore, type Store } from "../../src/store/openStore.js";

/**
 * The two engines every store test runs against. SQLite: a temp directory per store.
 * PostgreSQL: a server from the testkit (env URL, Docker or local binary; on a laptop without
 * one the suite is skipped with a banner, with CI=true it fails), and a fresh database per
 * store so tests never see each other's rows.
 */
export interface EngineHarness {
  readonly engine: Engine;
  readonly available: boolean;
  readonly reason: string;
  /** A migrated, empty store; closed and removed by `cleanup`. */
  freshStore(options?: { poolSize?: number }): Promise<Store>;
  /** PostgreSQL only: the URL of a new empty database (dropped by `cleanup`), for a whole cloud. */
  freshDatabaseUrl?(): Promise<string>;
  cleanup(): Promise<void>;
}

function sqliteHarness(): EngineHarness {
  const dirs: string[] = [];
  const stores: Store[] = [];
  return {
    engine: "sqlite",
    available: true,
    reason: "",
    async freshStore() {
      const dir = await mkdtemp(join(tmpdir(), "passerelle-cloud-store-"));
      dirs.push(dir);
      const store = await openStore({ dataDir: dir });
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const store of stores.splice(0)) await store.close();
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function postgresHarness(): Promise<EngineHarness> {
  const provision = await provideService("postgres");
  if (!provision.available) {
    return {
      engine: "postgres",
      available: false,
      reason: provision.reason,
      freshStore: () => Promise.reject(new Error(provision.reason)),
      cleanup: async () => {},
    };
  }
  const service = serviceOf(provision);
  const stores: Store[] = [];
  const databases: string[] = [];
  const freshDatabaseUrl = async () => {
    const database = `cloud_${randomBytes(6).toString("hex")}`;
    await adminQuery(service.url, `CREATE DATABASE "${database}"`);
    databases.push(database);
    const url = new URL(service.url);
    url.pathname = `/${database}`;
    return url.toString();
  };
  return {
    engine: "postgres",
    available: true,
    reason: "",
    freshDatabaseUrl,
    async freshStore(options = {}) {
      const store = await openStore({
        postgresUrl: await freshDatabaseUrl(),
        poolSize: options.poolSize ?? 10,
      });
      stores.push(store);
      return store;
    },
    async cleanup() {
      for (const store of stores.splice(0)) await store.close();
      for (const database of databases.splice(0)) {
        await adminQuery(service.url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      }
      await service.stop();
    },
  };
}

/** Both engines, resolved once per test file (at collection time, for describe.skipIf). */
export async function provideEngines(): Promise<EngineHarness[]> {
  return [sqliteHarness(), await postgresHarness()];
}

/**
 * Declares the same suite once per engine: "<title> [sqlite]" and "<title> [postgres]". An
 * unavailable engine's suite is skipped (the testkit has already printed why, loudly).
 */
export function describeOnEngines(
  harnesses: readonly EngineHarness[],
  title: string,
  suite: (harness: EngineHarness) => void,
): void {
  for (const harness of harnesses) {
    describe.skipIf(!harness.available)(`${title} [${harness.engine}]`, () => {
      afterAll(() => harness.cleanup());
      suite(harness);
    });
  }
}
