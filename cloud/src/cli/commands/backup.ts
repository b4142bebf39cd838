import { backupDataDir } from "../../housekeeping/backupDataDir.js";
import { exitCodes, UsageError } from "../cliIo.js";
import { type CliCommand, str } from "../command.js";
import { requireDataDir, storeArgs, storeOptions } from "../storeArgs.js";

/**
 * Online backup of a SQLite cloud's data directory while `serve` runs (docs/operations.md
 * "Backup and restore"). PostgreSQL is backed up with its own tools (pg_dump, continuous
 * archiving), documented there; this command refuses it rather than copy half of a network.
 */
export const backupCommand: CliCommand = {
  name: "backup",
  summary: "copy a SQLite data directory (database, signing keys) while the cloud runs",
  help: [
    "  --out DIR             the backup directory to create (must not exist)",
    "  --data-dir DIR        the cloud's data directory (env PASSERELLE_DATA_DIR)",
  ],
  options: { out: { type: "string" }, ...storeOptions },
  async run(values, io) {
    const args = storeArgs(values, io.env);
    if (args.postgresUrl !== undefined) {
      throw new UsageError(
        "PostgreSQL is backed up with pg_dump or continuous archiving (docs/operations.md); back up the data directory's signing keys with --data-dir alone",
      );
    }
    const outDir = str(values, "out");
    if (outDir === undefined) throw new UsageError("--out is required");
    const manifest = await backupDataDir({
      dataDir: requireDataDir(args),
      outDir,
      now: Date.now(),
    });
    io.out(`backup written to ${outDir} at ${manifest.createdAt}`);
    io.out(`databases: ${manifest.databases.join(", ")}; ${manifest.files.length} files`);
    io.out(
      `audit chain head: entry ${manifest.auditHead.lastId}, hash ${manifest.auditHead.lastHash}`,
    );
    io.out("not in the backup, keep them elsewhere:");
    for (const line of manifest.notIncluded) io.out(`  - ${line}`);
    return exitCodes.ok;
  },
};
