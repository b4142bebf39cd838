import { spawn } from "node:child_process";
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findLocalBinaries, isCi } from "@passerelle/testkit";
import { type ChildRun, childRun } from "../support/childRun.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const backupScript = join(repoRoot, "deploy/cloud/backup.sh");

export type ScriptRun = ChildRun;

/**
 * deploy/cloud/backup.sh as the timer runs it, with a clean environment apart from `env`, and
 * the repository's CLI in place of the installed one: the CLI runs from its TypeScript sources
 * through tsx (NODE_OPTIONS, as `npm run cloud` does), from the repository root.
 */
export function runBackupScript(env: Record<string, string>): Promise<ScriptRun> {
  const child = spawn("bash", [backupScript], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_OPTIONS: "--conditions=source --import tsx",
      PASSERELLE_NODE: process.execPath,
      PASSERELLE_CLI: join(repoRoot, "cloud/src/cli/main.ts"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return childRun(child);
}

/** A command run to its end; rejects with its stderr when it fails. */
export async function runTool(command: string, args: readonly string[]): Promise<string> {
  const run = await childRun(spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] }));
  const output = run.stdout + run.stderr;
  if (run.code !== 0) throw new Error(`${command} exited ${run.code}: ${output}`);
  return output;
}

/**
 * pg_dump and pg_restore from the installation the testkit starts postgres from (Debian keeps
 * each major version apart; the newest is taken, so it can dump the server the testkit runs).
 * Missing: undefined outside CI, an error with CI=true.
 */
export function postgresClientTools(): { pgDump: string; pgRestore: string } | undefined {
  const server = findLocalBinaries("postgres");
  if (server === undefined) {
    if (isCi(process.env)) {
      throw new Error("pg_dump/pg_restore not found (apt-get install postgresql): CI=true");
    }
    return undefined;
  }
  // Through symlinks (/usr/local/bin/postgres -> /usr/lib/postgresql/15/bin/postgres).
  const bin = dirname(realpathSync(server.postgres));
  return { pgDump: join(bin, "pg_dump"), pgRestore: join(bin, "pg_restore") };
}
