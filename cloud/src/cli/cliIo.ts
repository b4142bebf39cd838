import type { Readable } from "node:stream";

/** What a command may touch of its process: given, so tests can run commands in-process too. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    stdin: process.stdin,
  };
}

/** Exit codes: 0 done, 1 the command failed, 2 it was called wrongly. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake of the caller (missing option, password on argv): exit 2 with the message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
