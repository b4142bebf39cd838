import { chmod, copyFile, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  type BackupManifest,
  backupManifestName,
  secretsNotIncluded,
  sha256OfFile,
} from "./backupManifest.js";

/** The SQLite files of a data directory, copied through the backup API, never as files. */
const databaseFiles = ["passerelle.sqlite", "timeseries-queue.sqlite"];
/** A live database's side files: their content is in the snapshot already. */
const sideFile = /\.sqlite-(wal|shm|journal)$/;

export interface BackupOptions {
  readonly dataDir: string;
  /** A directory that must not exist yet; written as `<outDir>.partial`, renamed when whole. */
  readonly outDir: string;
  readonly now: number;
}

/**
 * An online backup of a SQLite cloud's data directory while `serve` runs (docs/operations.md
 * "Backup and restore"). Each database goes through SQLite's backup API in ONE step: one read
 * transaction, so the copy is the database as of one commit, and under WAL the cloud's writers
 * never wait for it (a backup in small steps restarts whenever another connection writes, and
 * under ingest load may never finish). The signing keys and every other file are copied as
 * they are. The copy is checked (integrity_check) and described in backup-manifest.json with
 * each file's sha256, the migrations, the audit chain head, and the secrets kept elsewhere.
 */
export async function backupDataDir(options: BackupOptions): Promise<BackupManifest> {
  const partial = `${options.outDir}.partial`;
  if (await exists(options.outDir)) throw new Error(`${options.outDir} already exists`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true, mode: 0o700 });
  try {
    const databases: string[] = [];
    for (const name of databaseFiles) {
      if (!(await exists(join(options.dataDir, name)))) continue;
      await snapshot(join(options.dataDir, name), join(partial, name));
      databases.push(name);
    }
    if (!databases.includes("passerelle.sqlite")) {
      throw new Error(`${options.dataDir} holds no passerelle.sqlite: not a cloud data directory`);
    }
    await copyOthers(options.dataDir, partial, options.dataDir);
    const described = describeStore(join(partial, "passerelle.sqlite"));
    const files = [];
    for (const path of await listFiles(partial)) {
      files.push({ path: relative(partial, path), ...(await sha256OfFile(path)) });
    }
    const manifest: BackupManifest = {
      backup: "passerelle-data-dir",
      version: 1,
      createdAt: new Date(options.now).toISOString(),
      databases,
      files,
      ...described,
      notIncluded: secretsNotIncluded,
    };
    await writeFile(join(partial, backupManifestName), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
    });
    await rename(partial, options.outDir);
    return manifest;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

async function snapshot(source: string, target: string): Promise<void> {
  const database = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    database.pragma("busy_timeout = 10000");
    // better-sqlite3 starts with an empty step; the handler's answer is the next step's page
    // count: every page at once (see above why one step).
    await database.backup(target, { progress: () => 0x7fffffff });
  } finally {
    database.close();
  }
  await chmod(target, 0o600);
  // The copy keeps the source's WAL mode, and opening it would leave -wal/-shm files beside it:
  // a rollback journal makes it one self-contained file (the cloud sets WAL again at open).
  const copy = new SqliteDatabase(target);
  try {
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`the copy of ${source} fails integrity_check: ${check}`);
  } finally {
    copy.close();
  }
}

/** The migrations and the audit head in the copy (what a restore drill compares). */
function describeStore(file: string): Pick<BackupManifest, "migrations" | "auditHead"> {
  const database = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const migrations = database
      .prepare("select name from kysely_migration order by name")
      .all()
      .map((row) => (row as { name: string }).name);
    const head = database
      .prepare("select last_id, last_hash from audit_chain_head where id = 1")
      .get() as { last_id: number; last_hash: string } | undefined;
    return {
      migrations,
      auditHead: { lastId: Number(head?.last_id ?? 0), lastHash: head?.last_hash ?? "" },
    };
  } finally {
    database.close();
  }
}

async function copyOthers(from: string, to: string, root: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (from === root && databaseFiles.includes(entry.name)) continue;
    if (sideFile.test(entry.name)) continue;
    if (entry.isDirectory()) {
      await mkdir(target, { mode: 0o700 });
      await copyOthers(source, target, root);
    } else if (entry.isFile()) {
      await copyFile(source, target);
      await chmod(target, (await stat(source)).mode & 0o777);
    }
  }
}

export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found.sort();
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
