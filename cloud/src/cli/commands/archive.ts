import { mkdir } from "node:fs/promises";
import {
  checkRetention,
  defaultRetention,
  type RetentionRules,
} from "../../housekeeping/retentionRules.js";
import { runArchive } from "../../housekeeping/runArchive.js";
import { exitCodes, UsageError } from "../cliIo.js";
import { type CliCommand, str } from "../command.js";
import { openCliStore, storeArgs, storeOptions, storeUsage } from "../storeArgs.js";
import { cliActor } from "./createCoordinator.js";

function months(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number of months`);
  return Number(value);
}

/**
 * Moves access events and audit entries older than their retention to monthly NDJSON files
 * (docs/cloud-store.md "Retention and archive"), keeping the audit chain verifiable from the
 * checkpoint it records. Run it monthly (a systemd timer, cron), after the month is closed.
 */
export const archiveCommand: CliCommand = {
  name: "archive",
  summary: "archive access events and audit entries past their retention into monthly files",
  help: [
    "  --out DIR                  where the monthly files and the run's manifest go",
    `  --keep-event-months N      months of access events kept besides the current one (env PASSERELLE_KEEP_EVENT_MONTHS, default ${defaultRetention.accessEventMonths})`,
    `  --keep-audit-months N      months of audit entries kept (env PASSERELLE_KEEP_AUDIT_MONTHS, default ${defaultRetention.auditMonths})`,
    "  --dry-run                  only print what would be archived",
    ...storeUsage,
  ],
  options: {
    out: { type: "string" },
    "keep-event-months": { type: "string" },
    "keep-audit-months": { type: "string" },
    "dry-run": { type: "boolean" },
    ...storeOptions,
  },
  async run(values, io) {
    const rules: RetentionRules = {
      accessEventMonths: months(
        str(values, "keep-event-months") ?? io.env.PASSERELLE_KEEP_EVENT_MONTHS,
        defaultRetention.accessEventMonths,
        "--keep-event-months",
      ),
      auditMonths: months(
        str(values, "keep-audit-months") ?? io.env.PASSERELLE_KEEP_AUDIT_MONTHS,
        defaultRetention.auditMonths,
        "--keep-audit-months",
      ),
    };
    const problems = checkRetention(rules);
    if (problems.length > 0) throw new UsageError(problems.join("; "));
    const dryRun = values["dry-run"] === true;
    const outDir = str(values, "out");
    if (outDir === undefined && !dryRun) throw new UsageError("--out is required");
    if (outDir !== undefined) await mkdir(outDir, { recursive: true, mode: 0o700 });
    const store = await openCliStore(storeArgs(values, io.env));
    try {
      const report = await runArchive({
        store,
        outDir: outDir ?? "",
        rules,
        now: Date.now(),
        actor: cliActor(),
        dryRun,
      });
      const auditCount = report.audit.upToId - report.audit.startsAfter.id;
      io.out(
        `access events: ${report.eventMonths.length === 0 ? "nothing to archive" : `months ${report.eventMonths.join(", ")}`}`,
      );
      io.out(
        `audit entries: ${auditCount === 0 ? "nothing to archive" : `${report.audit.startsAfter.id + 1} to ${report.audit.upToId}`}`,
      );
      if (dryRun) return exitCodes.ok;
      for (const file of report.files)
        io.out(`wrote ${file.file}: ${file.rows} rows, sha256 ${file.sha256}`);
      io.out(`manifest ${report.manifest}`);
      io.out(
        `deleted ${report.deletedEvents} access events and ${report.deletedAuditEntries} audit entries`,
      );
      if (report.checkpoint !== undefined && auditCount > 0) {
        io.out(
          `audit chain now starts after entry ${report.checkpoint.id}, hash ${report.checkpoint.hash}`,
        );
      }
      return exitCodes.ok;
    } finally {
      await store.close();
    }
  },
};
