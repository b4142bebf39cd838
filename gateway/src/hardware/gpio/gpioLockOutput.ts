import { type Logger, silentLogger } from "../../core/logger.js";
import { HardwareError, type LockOutput } from "../ports.js";
import {
  type GpioLine,
  type GpioLineFactory,
  lineOpenError,
  onoffLineFactory,
} from "./gpioLine.js";
import { sysfsGpioNumber } from "./sysfsGpioNumbering.js";

export interface GpioLockOptions {
  id: string;
  /** BCM line number driving the relay (module input or transistor). */
  line: number;
  /** True for relay modules that switch on a low input (most opto-isolated boards). */
  activeLow?: boolean;
  chipLabel?: string;
  sysfsRoot?: string;
  logger?: Logger;
  /** Test seam: onoff by default. */
  lineFactory?: () => Promise<GpioLineFactory>;
}

/**
 * A lock relay on a Raspberry Pi GPIO line. Logical 1 energises the relay, which releases the
 * lock: a fail-secure strike opens when powered, a fail-safe maglock is wired through the
 * relay's normally-closed contact. The line starts de-energised (locked).
 */
export class GpioLockOutput implements LockOutput {
  readonly id: string;
  private readonly log: Logger;
  private gpio: GpioLine | undefined;
  private commanded: boolean | null = null;

  constructor(private readonly options: GpioLockOptions) {
    this.id = options.id;
    this.log = (options.logger ?? silentLogger).child({
      module: "gateway:hardware:gpio",
      id: options.id,
      line: options.line,
    });
  }

  async start(): Promise<void> {
    if (this.gpio !== undefined) return;
    const { line, activeLow = false } = this.options;
    const sysfsNumber = await sysfsGpioNumber(line, this.options);
    const factory = await (this.options.lineFactory ?? onoffLineFactory)();
    try {
      // Writing "high"/"low" to the sysfs direction file sets the raw (physical) level
      // (gpiolib-sysfs direction_store uses gpiod_direction_output_raw), so the de-energised
      // logical 0 is physical high on an active-low line: no glitch at start.
      this.gpio = factory(sysfsNumber, activeLow ? "high" : "low", "none", { activeLow });
    } catch (error) {
      throw lineOpenError(`GPIO ${line} (sysfs ${sysfsNumber})`, error);
    }
    this.log.info({ sysfsNumber, activeLow }, "GPIO lock output started");
  }

  async stop(): Promise<void> {
    const gpio = this.gpio;
    this.gpio = undefined;
    if (gpio === undefined) return;
    try {
      gpio.unexport();
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "GPIO release failed");
    }
  }

  set(unlocked: boolean): Promise<void> {
    const gpio = this.gpio;
    if (gpio === undefined) {
      return Promise.reject(
        new HardwareError("device-unavailable", `lock ${this.id} is not started`),
      );
    }
    try {
      gpio.writeSync(unlocked ? 1 : 0);
    } catch (error) {
      this.log.error({ err: (error as Error).message, unlocked }, "GPIO write failed");
      return Promise.reject(
        new HardwareError("io-failed", `lock ${this.id}: ${(error as Error).message}`),
      );
    }
    this.commanded = unlocked;
    return Promise.resolve();
  }

  state(): boolean | null {
    return this.commanded;
  }
}
