import type {
  GpioDirection,
  GpioEdge,
  GpioLine,
  GpioLineFactory,
  GpioLineOptions,
} from "../../../src/hardware/gpio/gpioLine.js";

/**
 * A sysfs GPIO line in memory, behaving like onoff on the kernel's gpiolib: the value file
 * reads and writes logical levels (physical XOR active_low), "high"/"low" directions set the
 * raw level, and an input with an edge calls its watchers when the level changes.
 */
export class FakeGpioLine implements GpioLine {
  physical: 0 | 1;
  readonly writes: (0 | 1)[] = [];
  exported = true;
  failWrites = false;
  private watchers: ((error: Error | null | undefined, value: 0 | 1) => void)[] = [];

  constructor(
    readonly sysfsNumber: number,
    readonly direction: GpioDirection,
    readonly edge: GpioEdge,
    readonly options: GpioLineOptions,
    initialPhysical: 0 | 1,
  ) {
    this.physical = direction === "high" ? 1 : direction === "low" ? 0 : initialPhysical;
  }

  private get activeLow(): boolean {
    return this.options.activeLow === true;
  }

  readSync(): 0 | 1 {
    return (this.physical ^ (this.activeLow ? 1 : 0)) as 0 | 1;
  }

  writeSync(value: 0 | 1): void {
    if (this.failWrites) throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
    this.writes.push(value);
    this.physical = (value ^ (this.activeLow ? 1 : 0)) as 0 | 1;
  }

  watch(callback: (error: Error | null | undefined, value: 0 | 1) => void): void {
    this.watchers.push(callback);
  }

  unwatchAll(): void {
    this.watchers = [];
  }

  unexport(): void {
    this.exported = false;
  }

  /** The outside world moves the pin (onoff's debounce is its own business: not modelled). */
  drivePhysical(level: 0 | 1): void {
    const before = this.physical;
    this.physical = level;
    if (before !== level && this.edge === "both") {
      for (const watcher of [...this.watchers]) watcher(null, this.readSync());
    }
  }

  /** onoff's debounced callback: it reports the level after the quiet time, changed or not. */
  notify(value: 0 | 1): void {
    for (const watcher of [...this.watchers]) watcher(null, value);
  }

  failRead(error: Error): void {
    for (const watcher of [...this.watchers]) watcher(error, 0);
  }
}

/** Builds fake lines and remembers them, with the physical level of each pin before export. */
export function fakeGpio(pins: Record<number, 0 | 1> = {}) {
  const lines: FakeGpioLine[] = [];
  const factory: GpioLineFactory = (sysfsNumber, direction, edge, options) => {
    const line = new FakeGpioLine(sysfsNumber, direction, edge, options, pins[sysfsNumber] ?? 0);
    lines.push(line);
    return line;
  };
  return {
    lines,
    factory,
    last(): FakeGpioLine {
      const line = lines.at(-1);
      if (line === undefined) throw new Error("no GPIO line was opened");
      return line;
    },
    /** Sets a pin's level, whether or not a line is open on it now. */
    setPin(sysfsNumber: number, level: 0 | 1) {
      pins[sysfsNumber] = level;
      const open = lines.filter((line) => line.sysfsNumber === sysfsNumber && line.exported);
      for (const line of open) line.drivePhysical(level);
    },
  };
}
