import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { CloudReady, DemoCloudConfig } from "./demoCloudConfig.js";
import type { ControlReply, ControlRequest } from "./demoControl.js";

const entry = new URL("./cloudProcess.ts", import.meta.url).pathname;

/**
 * The demo cloud as a child process: forked with an IPC pipe (for its "ready" message and the
 * control channel), its output appended to a log file.
 */
export class CloudChild {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ControlReply) => void>();

  constructor(
    private readonly config: DemoCloudConfig,
    private readonly logFile: string,
  ) {}

  /** Starts the process and waits for it to be listening (and seeded, on a first start). */
  start(timeoutMs = 120_000): Promise<CloudReady> {
    const log = createWriteStream(this.logFile, { flags: "a" });
    const child = fork(entry, [], {
      execArgv: ["--conditions=source", "--import", "tsx"],
      env: { ...process.env, PASSERELLE_DEMO_CLOUD: JSON.stringify(this.config) },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Own process group: Ctrl-C reaches the launcher only, which stops the cloud last.
      detached: true,
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once("exit", (code) => {
        log.end();
        for (const resolveReply of this.pending.values()) {
          resolveReply({ type: "control-reply", id: 0, ok: false, error: "cloud exited" });
        }
        this.pending.clear();
        resolve(code);
      }),
    );
    child.on("message", (message: ControlReply) => {
      if (message?.type !== "control-reply") return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the cloud did not start within ${timeoutMs} ms (${this.logFile})`)),
        timeoutMs,
      );
      child.on("message", (message: CloudReady) => {
        if (message?.type !== "ready") return;
        clearTimeout(timer);
        resolve(message);
      });
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(
          new Error(`the cloud exited with code ${code} before it was ready; see ${this.logFile}`),
        );
      });
    });
  }

  /** A domain call inside the cloud (see demoControl.ts). */
  async control<T = unknown>(request: ControlRequest): Promise<T> {
    const child = this.child;
    if (child === undefined || !child.connected) throw new Error("the cloud is not running");
    const id = this.nextId++;
    const reply = await new Promise<ControlReply>((resolve) => {
      this.pending.set(id, resolve);
      child.send({ type: "control", id, request });
    });
    if (!reply.ok) throw new Error(reply.error ?? "control request failed");
    return reply.value as T;
  }

  /** SIGTERM (the cloud commits and acks what it received, then closes), SIGKILL after a grace. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A crash: SIGKILL, nothing flushed. */
  async kill(): Promise<void> {
    this.child?.kill("SIGKILL");
    await this.exited;
  }
}
