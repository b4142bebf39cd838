import { type Logger, silentLogger } from "../../core/logger.js";
import { ListenerSet } from "../listenerSet.js";
import type { DoorInput, Unsubscribe } from "../ports.js";
import {
  type GpioLine,
  type GpioLineFactory,
  lineOpenError,
  onoffLineFactory,
} from "./gpioLine.js";
import { sysfsGpioNumber } from "./sysfsGpioNumbering.js";

export interface GpioInputOptions {
  id: string;
  /** BCM line number (GPIO17 = 17), translated to the sysfs number at start. */
  line: number;
  /** True when the active state pulls the line low (contact to ground with a pull-up). */
  activeLow?: boolean;
  /** Quiet time before a new level counts; reed contacts and buttons bounce for a few ms. */
  debounceMs?: number;
  chipLabel?: string;
  sysfsRoot?: string;
  logger?: Logger;
  clock?: () => number;
  /** Test seam: onoff by default. */
  lineFactory?: () => Promise<GpioLineFactory>;
}

/** A door contact or exit button on a Raspberry Pi GPIO line, through onoff (sysfs). */
export class GpioDoorInput implements DoorInput {
  readonly id: string;
  private readonly changes: ListenerSet<[boolean, number]>;
  private readonly log: Logger;
  private readonly clock: () => number;
  private gpio: GpioLine | undefined;
  private level: boolean | null = null;
  /** Kept across read errors and restarts, so a change is reported against what was known. */
  private lastKnown: boolean | null = null;

  constructor(private readonly options: GpioInputOptions) {
    this.id = options.id;
    this.log = (options.logger ?? silentLogger).child({
      module: "gateway:hardware:gpio",
      id: options.id,
      line: options.line,
    });
    this.clock = options.clock ?? Date.now;
    this.changes = new ListenerSet((error) =>
      this.log.error({ err: String(error) }, "input listener failed"),
    );
  }

  async start(): Promise<void> {
    if (this.gpio !== undefined) return;
    const { line, activeLow = false, debounceMs = 0 } = this.options;
    const sysfsNumber = await sysfsGpioNumber(line, this.options);
    const factory = await (this.options.lineFactory ?? onoffLineFactory)();
    let gpio: GpioLine;
    try {
      // activeLow makes the kernel invert the value file, so onoff hands us logical levels.
      gpio = factory(sysfsNumber, "in", "both", { debounceTimeout: debounceMs, activeLow });
      this.accept(gpio.readSync() === 1, false);
    } catch (error) {
      throw lineOpenError(`GPIO ${line} (sysfs ${sysfsNumber})`, error);
    }
    this.gpio = gpio;
    gpio.watch((error, value) => {
      if (this.gpio !== gpio) return;
      if (error) {
        this.log.warn({ err: error.message }, "GPIO read failed; level unknown");
        this.level = null;
        return;
      }
      this.accept(value === 1, true);
    });
    this.log.info({ sysfsNumber, activeLow, debounceMs }, "GPIO input started");
  }

  async stop(): Promise<void> {
    const gpio = this.gpio;
    this.gpio = undefined;
    this.level = null;
    if (gpio === undefined) return;
    try {
      gpio.unwatchAll();
      gpio.unexport();
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "GPIO release failed");
    }
  }

  read(): boolean | null {
    return this.level;
  }

  onChange(listener: (active: boolean, at: number) => void): Unsubscribe {
    return this.changes.add(listener);
  }

  /** Records a level; reports it only when it differs from the last one known. */
  private accept(active: boolean, announce: boolean): void {
    this.level = active;
    const previous = this.lastKnown;
    this.lastKnown = active;
    if (announce && previous !== null && previous !== active) {
      this.changes.emit(active, this.clock());
    }
  }
}
