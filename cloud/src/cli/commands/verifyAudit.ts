import { verifyAuditCommand } from "../../audit/verifyAuditCommand.js";
import type { CliCommand } from "../command.js";
import { requireDataDir, storeArgs, storeOptions, storeUsage } from "../storeArgs.js";

/** The audit chain check (cloud/src/audit/verifyAuditCommand.ts): exit 0 sound, 1 broken. */
export const verifyAuditCliCommand: CliCommand = {
  name: "verify-audit",
  summary: "check the audit log's hash chain and print the first broken link",
  help: storeUsage,
  options: storeOptions,
  run(values, io) {
    const args = storeArgs(values, io.env);
    return verifyAuditCommand({
      store:
        args.postgresUrl !== undefined
          ? { postgresUrl: args.postgresUrl }
          : { dataDir: requireDataDir(args) },
      print: io.out,
    });
  },
};
