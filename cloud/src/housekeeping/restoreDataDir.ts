import { cp, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { exists } from "./backupDataDir.js";
import { type BackupManifest, backupManifestName, sha256OfFile } from "./backupManifest.js";

export interface RestoreOptions {
  /** A directory made by backupDataDir. */
  readonly from: string;
  /** The new data directory: must not exist, or be empty. */
  readonly dataDir: string;
}

/**
 * Restores a backup into a fresh data directory (docs/operations.md "Backup and restore"):
 * every file is checked against the manifest's sha256 and each database's integrity before
 * anything lands under the target name (copied to `<dataDir>.partial`, then renamed). Never
 * over an existing data directory: restoring onto a live one would mix two histories.
 */
export async function restoreDataDir(options: RestoreOptions): Promise<BackupManifest> {
  const manifest = JSON.parse(
    await readFile(join(options.from, backupManifestName), "utf8"),
  ) as BackupManifest;
  if (manifest.backup !== "passerelle-data-dir" || manifest.version !== 1) {
    throw new Error(`${options.from} is not a Passerelle backup (no version 1 manifest)`);
  }
  for (const file of manifest.files) {
    const actual = await sha256OfFile(join(options.from, file.path));
    if (actual.sha256 !== file.sha256) {
      throw new Error(`${file.path} in the backup does not match its manifest (damaged or edited)`);
    }
  }
  if ((await exists(options.dataDir)) && (await readdir(options.dataDir)).length > 0) {
    throw new Error(`${options.dataDir} is not empty: restore into a new data directory`);
  }
  const partial = `${options.dataDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await cp(options.from, partial, { recursive: true, preserveTimestamps: true });
  await rm(join(partial, backupManifestName));
  for (const name of manifest.databases) {
    const database = new SqliteDatabase(join(partial, name), { readonly: true });
    try {
      const check = database.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new Error(`${name} fails integrity_check: ${check}`);
    } finally {
      database.close();
    }
  }
  await rm(options.dataDir, { recursive: true, force: true });
  await rename(partial, options.dataDir);
  return manifest;
}
