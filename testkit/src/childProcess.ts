import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { TestkitError } from "./errors.js";
import { trackChild, untrackChild } from "./exitCleanup.js";
import { LogTail } from "./logTail.js";

export interface SpawnSpec {
  /** Short name used in errors, e.g. "mosquitto". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Signal for a clean stop (postgres: SIGINT, "fast shutdown"). */
  readonly stopSignal?: NodeJS.Signals;
  /** Signal if this process dies first; must be quick and leave nothing behind. */
  readonly orphanSignal?: NodeJS.Signals;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly exited: Promise<ExitInfo>;
  hasExited(): boolean;
  logTail(): string;
  /** Stop signal, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Sends `signal` (SIGHUP: reload) while it runs; nothing once it has exited. */
  signal(signal: NodeJS.Signals): void;
}

const SETPRIV = "/usr/bin/setpriv";

/**
 * On Linux the child is started through util-linux `setpriv --pdeathsig`, so the kernel signals
 * it when this process dies, even by SIGKILL, when no exit handler can run. setpriv sets the
 * flag after libuv's setuid/setgid and then execs the service, which keeps the same pid.
 */
function withParentDeathSignal(spec: SpawnSpec): [string, string[]] {
  if (process.platform !== "linux" || !existsSync(SETPRIV)) return [spec.command, [...spec.args]];
  const signal = (spec.orphanSignal ?? "SIGKILL").replace(/^SIG/, "");
  return [SETPRIV, ["--pdeathsig", signal, "--", spec.command, ...spec.args]];
}

function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return info.error.message;
  return info.signal !== null ? `killed by ${info.signal}` : `exit code ${info.code}`;
}

export function spawnManaged(spec: SpawnSpec): ManagedProcess {
  const [command, args] = withParentDeathSignal(spec);
  const child: ChildProcess = spawn(command, args, {
    cwd: spec.cwd,
    uid: spec.uid,
    gid: spec.gid,
    stdio: ["ignore", "pipe", "pipe"],
  });
  trackChild(child, spec.orphanSignal);
  const tail = new LogTail();
  child.stdout?.on("data", (chunk: Buffer) => tail.append("stdout", chunk));
  child.stderr?.on("data", (chunk: Buffer) => tail.append("stderr", chunk));
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("error", (error) => {
      done = true;
      resolve({ code: null, signal: null, error });
    });
    // 'close' (not 'exit') so the log tail holds everything the child wrote before dying.
    child.once("close", (code, signal) => {
      done = true;
      untrackChild(child);
      resolve({ code, signal });
    });
  });

  return {
    name: spec.name,
    exited,
    hasExited: () => done,
    logTail: () => tail.text(),
    signal(signal) {
      if (!done) child.kill(signal);
    },
    async stop(graceMs = 10_000) {
      if (done) return;
      child.kill(spec.stopSignal ?? "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function startFailure(proc: ManagedProcess, message: string, cause?: unknown): TestkitError {
  const log = proc.logTail();
  const detail = log.length > 0 ? `\n--- last lines of ${proc.name}'s log ---\n${log}` : "";
  return new TestkitError("service.start-failed", `${proc.name}: ${message}${detail}`, { cause });
}

/** Runs a one-shot command (initdb) and throws with its log tail unless it exits with 0. */
export async function runToCompletion(spec: SpawnSpec): Promise<void> {
  const proc = spawnManaged(spec);
  const info = await proc.exited;
  if (info.code !== 0) throw startFailure(proc, `failed (${describeExit(info)})`, info.error);
}

/**
 * Polls `isReady` until it answers true; fails early with the log tail if the process exits,
 * which is how a bad config or a port already taken shows up.
 */
export async function waitUntilReady(
  proc: ManagedProcess,
  isReady: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitInfo: ExitInfo | undefined;
  void proc.exited.then((info) => {
    exitInfo = info;
  });
  while (Date.now() < deadline) {
    if (exitInfo !== undefined) {
      throw startFailure(proc, `exited before it was ready (${describeExit(exitInfo)})`);
    }
    if (await isReady().catch(() => false)) {
      if (!proc.hasExited()) return;
    }
    await sleep(50);
  }
  await proc.stop();
  throw startFailure(proc, `not ready after ${timeoutMs} ms`);
}
