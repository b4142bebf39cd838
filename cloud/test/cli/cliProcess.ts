import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type ChildRun, childRun } from "../support/childRun.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export type CliRun = ChildRun;

/**
 * Runs the operator CLI as `npm run cloud` does (a real child process from the repository root),
 * with a clean environment apart from what the test gives and stdin fed with `input` (closed
 * at once when none).
 */
export function runCloudCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "cloud/src/cli/main.ts", ...args],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const run = childRun(child);
  child.stdin.end(options.input ?? "");
  return run;
}
