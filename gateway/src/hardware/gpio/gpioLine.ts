import { loadOptional } from "../loadOptional.js";
import { HardwareError } from "../ports.js";

export type GpioDirection = "in" | "out" | "high" | "low";
export type GpioEdge = "none" | "rising" | "falling" | "both";

/** The part of onoff's Gpio the adapters use, so a fake can stand in for it in tests. */
export interface GpioLine {
  readSync(): 0 | 1;
  writeSync(value: 0 | 1): void;
  watch(callback: (error: Error | null | undefined, value: 0 | 1) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

export interface GpioLineOptions {
  debounceTimeout?: number;
  activeLow?: boolean;
}

/** Opens a sysfs GPIO by its sysfs number (see sysfsGpioNumbering.ts). */
export type GpioLineFactory = (
  sysfsNumber: number,
  direction: GpioDirection,
  edge: GpioEdge,
  options: GpioLineOptions,
) => GpioLine;

interface OnoffModule {
  Gpio: {
    accessible: boolean;
    new (
      gpio: number,
      direction: GpioDirection,
      edge?: GpioEdge,
      options?: GpioLineOptions,
    ): GpioLine;
  };
}

/** Loads onoff (v6) lazily; fails clearly where there is no sysfs GPIO at all. */
export async function onoffLineFactory(): Promise<GpioLineFactory> {
  const module = await loadOptional<OnoffModule & { default?: OnoffModule }>("onoff");
  const { Gpio } = module.Gpio !== undefined ? module : (module.default ?? module);
  if (!Gpio.accessible) {
    throw new HardwareError(
      "device-unavailable",
      "onoff: /sys/class/gpio is not accessible here (not a Raspberry Pi, or no permission)",
    );
  }
  return (sysfsNumber, direction, edge, options) => new Gpio(sysfsNumber, direction, edge, options);
}

/** Turns an error from opening a line (EACCES, EBUSY, EINVAL) into a HardwareError. */
export function lineOpenError(what: string, error: unknown): HardwareError {
  const code = (error as NodeJS.ErrnoException).code;
  return new HardwareError(
    "device-unavailable",
    `${what}: ${code ?? (error as Error).message}` +
      (code === "EACCES" ? " (add the gateway's user to the gpio group)" : ""),
  );
}
