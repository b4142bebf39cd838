/**
 * An ordered stop for a program that starts things one by one: each part registers how to stop
 * when it has started, and a signal at any moment (even half-way through the start) stops what
 * exists, in order — people, then gateways, then the device server, then the cloud.
 */
export class Shutdown {
  private readonly steps: { order: number; name: string; stop: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  get started(): boolean {
    return this.running !== undefined;
  }

  add(order: number, name: string, stop: () => Promise<void>): void {
    this.steps.push({ order, name, stop });
  }

  /** Runs every step once, lowest order first; a step that fails is reported and skipped. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].sort((a, b) => a.order - b.order)) {
        try {
          await step.stop();
        } catch (error) {
          console.error(`stopping ${step.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }

  /** SIGINT and SIGTERM run the steps, then `done`; installed before anything starts. */
  onSignals(before: (signal: string) => void, done: () => void): void {
    const handle = (signal: string) => {
      if (this.started) return;
      before(signal);
      void this.run().then(done);
    };
    process.on("SIGINT", () => handle("SIGINT"));
    process.on("SIGTERM", () => handle("SIGTERM"));
  }
}
