import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provideService, serviceOf } from "@passerelle/testkit";
import { openStore, type Store } from "../src/store/openStore.js";

/**
 * Runs `bench` on a fresh SQLite store in a temporary directory, then on PostgreSQL (the
 * testkit's: an URL from the environment, a container or the local binary), each store closed
 * and removed after; PostgreSQL is skipped with a warning when the testkit cannot provide one.
 */
export async function onEachEngine<Result>(
  bench: (engine: string, store: Store) => Promise<Result[]>,
): Promise<Result[]> {
  const results: Result[] = [];
  const dir = await mkdtemp(join(tmpdir(), "passerelle-bench-"));
  const sqlite = await openStore({ dataDir: dir });
  try {
    results.push(...(await bench("sqlite", sqlite)));
  } finally {
    await sqlite.close();
    await rm(dir, { recursive: true, force: true });
  }

  const postgres = await provideService("postgres");
  if (!postgres.available) {
    console.warn(`PostgreSQL skipped: ${postgres.reason}`);
    return results;
  }
  const service = serviceOf(postgres);
  const store = await openStore({ postgresUrl: service.url, poolSize: 10 });
  try {
    results.push(...(await bench(`postgres (${service.source})`, store)));
  } finally {
    await store.close();
    await service.stop();
  }
  return results;
}
