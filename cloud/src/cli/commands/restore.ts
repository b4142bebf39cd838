import { verifyAuditCommand } from "../../audit/verifyAuditCommand.js";
import { restoreDataDir } from "../../housekeeping/restoreDataDir.js";
import { exitCodes, UsageError } from "../cliIo.js";
import { type CliCommand, str } from "../command.js";
import { requireDataDir, storeArgs } from "../storeArgs.js";

/**
 * Restores a `backup` into a new data directory, checks every file against the manifest and
 * the audit chain of the result (docs/operations.md "Backup and restore"). Exit 1 if anything
 * does not match.
 */
export const restoreCommand: CliCommand = {
  name: "restore",
  summary: "restore a backup into a new data directory and verify it",
  help: [
    "  --from DIR            a directory made by backup",
    "  --data-dir DIR        the new data directory (must not exist, or be empty)",
  ],
  options: { from: { type: "string" }, "data-dir": { type: "string" } },
  async run(values, io) {
    const from = str(values, "from");
    if (from === undefined) throw new UsageError("--from is required");
    const dataDir = requireDataDir(storeArgs(values, io.env));
    const manifest = await restoreDataDir({ from, dataDir });
    io.out(`restored ${manifest.files.length} files from the backup of ${manifest.createdAt}`);
    io.out(`migrations in the backup: ${manifest.migrations.at(-1) ?? "none"}`);
    return (await verifyAuditCommand({ store: { dataDir }, print: io.out })) === 0
      ? exitCodes.ok
      : exitCodes.failed;
  },
};
