import { HardwareError, type LockOutput } from "../ports.js";
import type { SerialRelayPort } from "./serialRelayPort.js";

/** A lock on one channel of an LCUS USB relay board. Relay on = lock released. */
export class SerialRelayLock implements LockOutput {
  private running = false;
  private commanded: boolean | null = null;

  constructor(
    readonly id: string,
    private readonly port: SerialRelayPort,
    readonly channel: number,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.port.acquire();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.port.release();
  }

  set(unlocked: boolean): Promise<void> {
    if (!this.running) {
      return Promise.reject(
        new HardwareError("device-unavailable", `lock ${this.id} is not started`),
      );
    }
    const issued = this.port.isOpen();
    const done = this.port.command(this.channel, unlocked);
    if (issued) this.commanded = unlocked;
    return done;
  }

  state(): boolean | null {
    return this.commanded;
  }
}
