import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { HardwareError } from "../ports.js";

export const DEFAULT_SYSFS_GPIO_ROOT = "/sys/class/gpio";

/**
 * Labels of the GPIO controller that owns the 40-pin header, by preference. On a Pi 5 the
 * header hangs off the RP1 south bridge (the BCM2712 has GPIO chips of its own, not wired to
 * the header), on a Pi 4 it is the BCM2711, on earlier models and Zeros the BCM2835 driver.
 */
export const RASPBERRY_PI_HEADER_LABELS: readonly string[] = [
  "pinctrl-rp1",
  "pinctrl-bcm2711",
  "pinctrl-bcm2835",
];

export interface GpioChip {
  /** Directory name, e.g. gpiochip512. */
  name: string;
  base: number;
  ngpio: number;
  label: string;
}

/** Lists /sys/class/gpio/gpiochip*: each with its base, line count and label. */
export async function readGpioChips(sysfsRoot = DEFAULT_SYSFS_GPIO_ROOT): Promise<GpioChip[]> {
  let entries: string[];
  try {
    entries = await readdir(sysfsRoot);
  } catch (error) {
    throw new HardwareError(
      "device-unavailable",
      `no sysfs GPIO at ${sysfsRoot} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): ` +
        "the gpio adapter needs a kernel with CONFIG_GPIO_SYSFS, as on Raspberry Pi OS",
    );
  }
  const chips: GpioChip[] = [];
  for (const name of entries.filter((entry) => /^gpiochip\d+$/.test(entry)).sort()) {
    const read = (file: string) =>
      readFile(join(sysfsRoot, name, file), "utf8").then((s) => s.trim());
    try {
      const [base, ngpio, label] = await Promise.all([read("base"), read("ngpio"), read("label")]);
      if (!/^\d+$/.test(base) || !/^\d+$/.test(ngpio)) continue;
      chips.push({ name, base: Number(base), ngpio: Number(ngpio), label });
    } catch {
      // A chip whose attributes cannot be read is not one we can use; look at the others.
    }
  }
  return chips;
}

/** Picks the header's controller: the configured label, else the known Pi labels in order. */
export function pickHeaderChip(chips: readonly GpioChip[], chipLabel?: string): GpioChip {
  const wanted = chipLabel !== undefined ? [chipLabel] : RASPBERRY_PI_HEADER_LABELS;
  for (const label of wanted) {
    const chip = chips.find((candidate) => candidate.label === label);
    if (chip !== undefined) return chip;
  }
  const found = chips.map((chip) => `${chip.name} "${chip.label}"`).join(", ") || "none";
  throw new HardwareError(
    "device-unavailable",
    `no GPIO controller labelled ${wanted.map((l) => `"${l}"`).join(" or ")} (found: ${found}); ` +
      "set chipLabel in the gpio adapter's config to the controller your board uses",
  );
}

/**
 * The sysfs number of a BCM line. Since Linux 6.6 the sysfs numbers of the Pi's GPIOs start at
 * the controller's dynamically allocated base (512 on a Pi 4, 571 on a Pi 5) instead of 0, so
 * "GPIO 17" is /sys/class/gpio/gpio529 on a Pi 4: number = base + BCM line.
 */
export async function sysfsGpioNumber(
  bcmLine: number,
  options: { sysfsRoot?: string; chipLabel?: string } = {},
): Promise<number> {
  if (!Number.isInteger(bcmLine) || bcmLine < 0) {
    throw new HardwareError(
      "config-invalid",
      `GPIO line ${bcmLine}: expected a BCM line number >= 0`,
    );
  }
  const chip = pickHeaderChip(await readGpioChips(options.sysfsRoot), options.chipLabel);
  if (bcmLine >= chip.ngpio) {
    throw new HardwareError(
      "config-invalid",
      `GPIO line ${bcmLine}: ${chip.label} has lines 0 to ${chip.ngpio - 1}`,
    );
  }
  return chip.base + bcmLine;
}
