/**
 * The operator CLI's entry point: `npm run cloud -- <command> [options]` (docs/operations.md).
 */
import { runCli } from "./cli.js";
import { processIo } from "./cliIo.js";

// `… | head` closes our stdout early: that is the reader's choice, not a crash.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
