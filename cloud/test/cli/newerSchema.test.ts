import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { openStore, type StoreOptions } from "../../src/store/openStore.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";
import { startServe } from "./serveProcess.js";

/*
 * Two `serve` instances started against a database a newer version has migrated: both refuse
 * to start (exit 1) and say why on stderr, and neither touched the database.
 */

const engines = await provideEngines();
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describeOnEngines(engines, "serve on a newer database", (harness) => {
  it("both instances exit 1 with the reason", { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "passerelle-newer-"));
    dirs.push(dataDir);
    const url = harness.engine === "postgres" ? await harness.freshDatabaseUrl?.() : undefined;
    const options: StoreOptions = url !== undefined ? { postgresUrl: url } : { dataDir };
    const store = await openStore(options);
    await sql`insert into kysely_migration (name, timestamp) values ('0042_newer_feature', '2030-01-01T00:00:00.000Z')`.execute(
      store.db,
    );
    await store.close();

    const env: Record<string, string> = {
      PASSERELLE_DATA_DIR: dataDir,
      PASSERELLE_LOG_LEVEL: "silent",
      ...(url !== undefined ? { PASSERELLE_POSTGRES_URL: url } : {}),
    };
    const args = ["--http-port", "0", "--broker-port", "0"];
    const starts = await Promise.allSettled([startServe(args, env), startServe(args, env)]);
    for (const start of starts) {
      expect(start.status).toBe("rejected");
      const reason = String((start as PromiseRejectedResult).reason);
      expect(reason).toMatch(/serve exited \(1\) before listening/);
      expect(reason).toMatch(
        /the database was migrated by a newer version of Passerelle \(migration 0042_newer_feature unknown here/,
      );
    }
    const after = await openStore({ ...options, migrate: false });
    try {
      const names = await sql<{
        name: string;
      }>`select name from kysely_migration order by name`.execute(after.db);
      expect(names.rows.map((row) => row.name).at(-1)).toBe("0042_newer_feature");
    } finally {
      await after.close();
    }
  });
});
