import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface ServingCloud {
  readonly child: ChildProcessWithoutNullStreams;
  readonly httpUrl: string;
  readonly brokerUrl: string;
  /** The JSON log lines written so far. */
  readonly logLines: () => Record<string, unknown>[];
  readonly stderr: () => string;
  /** Resolves when the process has exited, with its code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
}

/**
 * `npm run cloud -- serve …` as a real child process (as the CLI tests run the other commands):
 * resolves once its "listening" log line is out, with where it listens; rejects if it exits
 * before. A clean environment apart from what the test gives.
 */
export function startServe(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ServingCloud> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "cloud/src/cli/main.ts", "serve", ...args],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  const logLines = () =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = logLines().find((line) => String(line.msg).includes("listening on"));
      if (listening === undefined) return;
      resolve({
        child,
        httpUrl: String(listening.http),
        brokerUrl: String(listening.broker),
        logLines,
        stderr: () => stderr,
        exited,
      });
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    void exited.then((code) =>
      reject(new Error(`serve exited (${code}) before listening:\n${stderr}\n${stdout}`)),
    );
    child.stdin.end();
  });
}

/** SIGTERM, then the exit code; SIGKILL after `boundMs` so a hung stop fails the test, not CI. */
export async function stopServe(cloud: ServingCloud, boundMs = 20_000): Promise<number | null> {
  if (cloud.child.exitCode !== null) return cloud.child.exitCode;
  const kill = setTimeout(() => cloud.child.kill("SIGKILL"), boundMs);
  cloud.child.kill("SIGTERM");
  try {
    return await cloud.exited;
  } finally {
    clearTimeout(kill);
  }
}
