import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Where a running `npm start` listens, written into its data directory once everything is up
 * and removed when it stops: `npm run sim` reads it to find the cloud and the broker, which
 * may have moved to other ports when the default ones were busy.
 */
export interface RunningDemo {
  readonly pid: number;
  readonly httpUrl: string;
  /** Where gateways connect (the embedded broker, or the external one). */
  readonly brokerUrl: string;
  readonly startedAt: string;
}

export const runningFileName = "running.json";

export async function writeRunningDemo(dataDir: string, running: RunningDemo): Promise<void> {
  await writeFile(join(dataDir, runningFileName), `${JSON.stringify(running, null, 2)}\n`);
}

export async function removeRunningDemo(dataDir: string): Promise<void> {
  await rm(join(dataDir, runningFileName), { force: true });
}

/** The running demo of that data directory; undefined when none (or its process is gone). */
export async function readRunningDemo(dataDir: string): Promise<RunningDemo | undefined> {
  let running: RunningDemo;
  try {
    running = JSON.parse(await readFile(join(dataDir, runningFileName), "utf8")) as RunningDemo;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    process.kill(running.pid, 0);
  } catch (error) {
    // ESRCH: a demo killed without its stop left the file behind.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return undefined;
  }
  return running;
}
