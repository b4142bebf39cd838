import type { ParseArgsConfig } from "node:util";
import type { CliIo } from "./cliIo.js";

export type OptionValues = Record<string, string | boolean | undefined>;

/** One operator command: its options (node:util parseArgs), its help, and what it does. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Help lines for the options, after "usage: … <name> [options]". */
  readonly help: readonly string[];
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  /** Resolves with the exit code. */
  run(values: OptionValues, io: CliIo): Promise<number>;
}

export const str = (values: OptionValues, name: string): string | undefined => {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
};
