import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * A daemon started by a test: killed when the test process exits, even by SIGKILL (through
 * util-linux `setpriv --pdeathsig`, as testkit does), and its output kept for error messages.
 */
export interface ManagedProcess {
  readonly pid: number | undefined;
  hasExited(): boolean;
  output(): string;
  /** Sends `signal` and resolves once the process is gone (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export function startManaged(command: string, args: readonly string[]): ManagedProcess {
  installExitHook();
  const setpriv = "/usr/bin/setpriv";
  const [file, argv] = existsSync(setpriv)
    ? [setpriv, ["--pdeathsig", "KILL", "--", command, ...args]]
    : [command, [...args]];
  const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("close", () => {
      exited = true;
      running.delete(child);
      resolve();
    });
    child.once("error", (error) => {
      log += `\n${error.message}`;
      exited = true;
      running.delete(child);
      resolve();
    });
  });
  return {
    pid: child.pid,
    hasExited: () => exited,
    output: () => log,
    async stop(signal = "SIGTERM", graceMs = 5000) {
      if (exited) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
