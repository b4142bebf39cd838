import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { EventOutbox } from "../../src/eventOutbox/eventOutbox.js";
import { accessEvent, tempDir } from "./outboxFixtures.js";

const gatewayDir = fileURLToPath(new URL("../..", import.meta.url));
const child = fileURLToPath(new URL("./outboxCrashChild.ts", import.meta.url));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Runs the appending child until it has reported `atLeast` seqs, then SIGKILLs it. */
function appendThenKill(path: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--conditions=source", "--import", "tsx", child, path], {
      cwd: gatewayDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const reported: number[] = [];
    let partial = "";
    let stderr = "";
    let killed = false;
    proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) reported.push(Number(line));
      if (!killed && reported.length >= atLeast) {
        killed = true;
        proc.kill("SIGKILL");
      }
    });
    proc.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    proc.on("error", reject);
    proc.on("exit", (_code, signal) => {
      if (signal === "SIGKILL") resolve(reported);
      else reject(new Error(`child exited on its own: ${stderr}`));
    });
  });
}

describe("event outbox: crash safety", () => {
  it("keeps every event reported as appended when the process is SIGKILLed mid-burst", async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const path = join(dir, "outbox.db");
    const reported = await appendThenKill(path, 400);
    expect(reported.length).toBeGreaterThanOrEqual(400);

    const outbox = new EventOutbox({ path });
    cleanups.push(() => outbox.close());
    const stored = outbox.nextBatch(1_000_000).map((event) => event.seq);
    const present = new Set(stored);
    expect(reported.filter((seq) => !present.has(seq))).toEqual([]);
    // Contiguous from 1: nothing lost in the middle, nothing duplicated.
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(stored.length).toBeGreaterThanOrEqual(Math.max(...reported));
    // The seq goes on after the last durable one.
    expect(outbox.append(accessEvent(0)).seq).toBe(stored.length + 1);
  });
});
