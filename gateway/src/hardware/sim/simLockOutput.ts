import { type Logger, silentLogger } from "../../core/logger.js";
import { HardwareError, type LockOutput } from "../ports.js";
import type { SimAdapterOptions } from "./simBadgeReader.js";
import type { SimDeviceLink } from "./simDeviceLink.js";

/** A LockOutput that drives one of firmware-sim's simulated locks. */
export class SimLockOutput implements LockOutput {
  private readonly log: Logger;
  private running = false;
  private commanded: boolean | null = null;
  /** The latest state asked for, sent or not: what a reconnected simulator is told. */
  private wanted: boolean | null = null;

  constructor(
    readonly id: string,
    private readonly link: SimDeviceLink,
    options: SimAdapterOptions = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:sim", id });
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.link.open({
      onEvent: () => {},
      onLink: (up) => {
        // A restarted simulator forgot the lock's state: tell it the latest one asked for.
        if (up && this.wanted !== null && this.send(this.wanted)) this.commanded = this.wanted;
      },
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.link.close();
  }

  set(unlocked: boolean): Promise<void> {
    if (!this.running) {
      return Promise.reject(
        new HardwareError("device-unavailable", `lock ${this.id} is not started`),
      );
    }
    this.wanted = unlocked;
    if (!this.send(unlocked)) {
      this.log.warn({ unlocked }, "simulated lock unreachable");
      return Promise.reject(
        new HardwareError(
          "device-unavailable",
          `simulated lock ${this.link.device} is unreachable`,
        ),
      );
    }
    this.commanded = unlocked;
    return Promise.resolve();
  }

  state(): boolean | null {
    return this.commanded;
  }

  private send(unlocked: boolean): boolean {
    return this.link.send({ op: "set-lock", device: this.link.device, unlocked });
  }
}
