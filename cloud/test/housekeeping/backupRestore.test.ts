import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/auditLog.js";
import { backupDataDir } from "../../src/housekeeping/backupDataDir.js";
import { restoreDataDir } from "../../src/housekeeping/restoreDataDir.js";
import { migrations } from "../../src/store/migrations/index.js";
import { openStore, type Store } from "../../src/store/openStore.js";
import { runCloudCli } from "../cli/cliProcess.js";
import { TestClock } from "../support/fixtures.js";

/* backup and restore of a SQLite data directory, in process; the drill runs them as the CLI. */

let root: string;
let dataDir: string;
let store: Store;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "passerelle-backup-"));
  dataDir = join(root, "data");
  store = await openStore({ dataDir });
  const log = new AuditLog(store, new TestClock(Date.parse("2026-12-01T00:00:00Z")));
  await store.write((trx) =>
    log.recordChange(
      { actor: "cli:test", action: "test.append", subject: "thing:1", detail: {} },
      trx,
    ),
  );
  await writeFile(join(dataDir, "bundle-signing-key.pem"), "not a real key", { mode: 0o600 });
  await mkdir(join(dataDir, "retired-signing-keys"));
  await writeFile(join(dataDir, "retired-signing-keys", "old.pem"), "older key", { mode: 0o600 });
});
afterEach(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

it("copies the open database and the keys, and restores them into a new directory", async () => {
  // The store stays open with a write in flight: the backup must not need it closed.
  const writing = store.write(async (trx) => {
    await trx.insertInto("settings").values({ key: "during-backup", value: "1" }).execute();
  });
  const manifest = await backupDataDir({ dataDir, outDir: join(root, "backup"), now: 0 });
  await writing;
  expect(manifest.databases).toEqual(["passerelle.sqlite"]);
  expect(manifest.files.map((f) => f.path)).toEqual([
    "bundle-signing-key.pem",
    "passerelle.sqlite",
    "retired-signing-keys/old.pem",
  ]);
  expect(manifest.auditHead.lastId).toBe(1);
  expect(manifest.migrations).toEqual(Object.keys(migrations).sort());

  const restored = join(root, "restored");
  await restoreDataDir({ from: join(root, "backup"), dataDir: restored });
  expect(await readFile(join(restored, "retired-signing-keys", "old.pem"), "utf8")).toBe(
    "older key",
  );
  const copy = new Database(join(restored, "passerelle.sqlite"), { readonly: true });
  try {
    expect(copy.prepare("select count(*) as n from audit_log").get()).toEqual({ n: 1 });
  } finally {
    copy.close();
  }
});

it("refuses an existing backup directory, a damaged backup, and a non-empty target", async () => {
  const backup = join(root, "backup");
  await backupDataDir({ dataDir, outDir: backup, now: 0 });
  await expect(backupDataDir({ dataDir, outDir: backup, now: 0 })).rejects.toThrow(
    /already exists/,
  );

  await expect(restoreDataDir({ from: backup, dataDir })).rejects.toThrow(
    /is not empty: restore into a new data directory/,
  );
  await writeFile(join(backup, "retired-signing-keys", "old.pem"), "swapped key");
  await expect(restoreDataDir({ from: backup, dataDir: join(root, "new") })).rejects.toThrow(
    /retired-signing-keys\/old.pem in the backup does not match its manifest/,
  );
  await expect(
    backupDataDir({ dataDir: join(root, "nothing"), outDir: join(root, "b2"), now: 0 }),
  ).rejects.toThrow(/no passerelle.sqlite: not a cloud data directory/);
});

it("archive as the CLI: a dry run says what would leave, a retention under 3 months is refused", {
  timeout: 120_000,
}, async () => {
  const dry = await runCloudCli(["archive", "--data-dir", dataDir, "--dry-run"]);
  expect(dry.stderr).toBe("");
  expect(dry.code).toBe(0);
  expect(dry.stdout).toBe("access events: nothing to archive\naudit entries: nothing to archive\n");
  const refused = await runCloudCli([
    "archive",
    "--data-dir",
    dataDir,
    "--out",
    root,
    "--keep-event-months",
    "2",
  ]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(
    /accessEventMonths must be a whole number of months from 3 to 1200/,
  );
});
