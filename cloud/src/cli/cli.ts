import { parseArgs } from "node:util";
import { type CliIo, exitCodes, UsageError } from "./cliIo.js";
import type { CliCommand, OptionValues } from "./command.js";
import { archiveCommand } from "./commands/archive.js";
import { backfillTimeSeriesCommand } from "./commands/backfillTimeSeries.js";
import { backupCommand } from "./commands/backup.js";
import { createCoordinatorCommand } from "./commands/createCoordinator.js";
import { migrateCommand } from "./commands/migrate.js";
import { provisionGatewayCommand } from "./commands/provisionGateway.js";
import { restoreCommand } from "./commands/restore.js";
import { rotateSigningKeyCommand } from "./commands/rotateSigningKey.js";
import { serveCommand } from "./commands/serve.js";
import { verifyAuditCliCommand } from "./commands/verifyAudit.js";

export const commands: readonly CliCommand[] = [
  createCoordinatorCommand,
  provisionGatewayCommand,
  rotateSigningKeyCommand,
  migrateCommand,
  verifyAuditCliCommand,
  archiveCommand,
  backupCommand,
  restoreCommand,
  backfillTimeSeriesCommand,
  serveCommand,
];

const program = "npm run cloud --";

function usage(): string[] {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `usage: ${program} <command> [options]`,
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    `${program} <command> --help   for a command's options`,
  ];
}

function commandUsage(command: CliCommand): string[] {
  return [`usage: ${program} ${command.name} [options]`, "", command.summary, "", ...command.help];
}

/** Passwords on argv end up in shell history and in `ps` output: refused with a reason. */
function refuseSecretsOnArgv(argv: readonly string[]): void {
  if (argv.some((arg) => /^--?(password|secret)(=|$)/.test(arg))) {
    throw new UsageError(
      "passwords are never taken on the command line (shell history, ps); set PASSERELLE_PASSWORD or pipe it on stdin",
    );
  }
}

/**
 * The operator CLI (issue 4 item 8): `<command> [options]`, each command's options parsed
 * strictly by node:util parseArgs. Resolves with the exit code; never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    for (const line of usage()) io.out(line);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`unknown command: ${name}`);
    for (const line of usage()) io.err(line);
    return exitCodes.usage;
  }
  try {
    refuseSecretsOnArgv(rest);
    const { values } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help === true) {
      for (const line of commandUsage(command)) io.out(line);
      return exitCodes.ok;
    }
    return await command.run(values as OptionValues, io);
  } catch (error) {
    const parseError = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    if (error instanceof UsageError || parseError) {
      io.err(`${name}: ${(error as Error).message}`);
      io.err(`${program} ${name} --help   for its options`);
      return exitCodes.usage;
    }
    // Domain errors carry a field and a readable message (a taken e-mail, an unknown centre).
    const field = (error as { field?: unknown }).field;
    io.err(
      `${name} failed: ${typeof field === "string" ? `${field}: ` : ""}${(error as Error).message}`,
    );
    return exitCodes.failed;
  }
}
