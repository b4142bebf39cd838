import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/**
 * Last resort only: every test is expected to stop its services in afterAll. If a test run is
 * interrupted or a test forgets, nothing started here may outlive the Node process, so on exit
 * (and on the usual termination signals) the remaining children are signalled and the
 * remaining temporary directories removed, synchronously, since nothing async runs in 'exit'.
 */
const children = new Map<ChildProcess, NodeJS.Signals>();
const directories = new Set<string>();
let installed = false;

function cleanUpNow(): void {
  for (const [child, signal] of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  children.clear();
  for (const directory of directories) {
    rmSync(directory, { recursive: true, force: true });
  }
  directories.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once("exit", cleanUpNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      cleanUpNow();
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** `signal` is what stops the child fastest without leaving state behind (postgres: SIGQUIT). */
export function trackChild(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  install();
  children.set(child, signal);
  child.once("exit", () => children.delete(child));
}

export function untrackChild(child: ChildProcess): void {
  children.delete(child);
}

export function trackDirectory(directory: string): void {
  install();
  directories.add(directory);
}

export function untrackDirectory(directory: string): void {
  directories.delete(directory);
}
