import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  pickHeaderChip,
  readGpioChips,
  sysfsGpioNumber,
} from "../../../src/hardware/gpio/sysfsGpioNumbering.js";
import { HardwareError } from "../../../src/hardware/ports.js";
import { boards, type FakeChip, fakeSysfsGpio } from "./fakeSysfs.js";

describe("BCM line to sysfs GPIO number", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const tree = async (chips: FakeChip[]) => {
    const sysfs = await fakeSysfsGpio(chips);
    cleanups.push(sysfs.remove);
    return sysfs.root;
  };

  it("adds the bcm2711 base on a Pi 4 with kernel 6.6+ (GPIO17 = 529)", async () => {
    expect(await sysfsGpioNumber(17, { sysfsRoot: await tree(boards.pi4) })).toBe(529);
  });

  it("uses the RP1 controller on a Pi 5, not the BCM2712's own chips (GPIO17 = 588)", async () => {
    expect(await sysfsGpioNumber(17, { sysfsRoot: await tree(boards.pi5) })).toBe(588);
  });

  it("keeps the number unchanged on an older kernel whose base is 0", async () => {
    expect(await sysfsGpioNumber(4, { sysfsRoot: await tree(boards.pi3OldKernel) })).toBe(4);
  });

  it("refuses a machine without a Raspberry Pi controller, naming what it found", async () => {
    const root = await tree(boards.pc);
    const failure = sysfsGpioNumber(17, { sysfsRoot: root });
    await expect(failure).rejects.toBeInstanceOf(HardwareError);
    await expect(failure).rejects.toMatchObject({
      code: "device-unavailable",
      message: expect.stringMatching(/pinctrl-rp1.*found: gpiochip512 "INT34C6:00".*chipLabel/),
    });
  });

  it("accepts a configured controller label for other boards", async () => {
    const root = await tree(boards.pc);
    expect(await sysfsGpioNumber(3, { sysfsRoot: root, chipLabel: "INT34C6:00" })).toBe(515);
  });

  it("refuses a line beyond the controller and a negative or fractional line", async () => {
    const root = await tree(boards.pi5);
    await expect(sysfsGpioNumber(54, { sysfsRoot: root })).rejects.toMatchObject({
      code: "config-invalid",
      message: expect.stringMatching(/lines 0 to 53/),
    });
    await expect(sysfsGpioNumber(-1, { sysfsRoot: root })).rejects.toMatchObject({
      code: "config-invalid",
    });
    await expect(sysfsGpioNumber(1.5, { sysfsRoot: root })).rejects.toMatchObject({
      code: "config-invalid",
    });
  });

  it("says sysfs GPIO is missing when the directory does not exist", async () => {
    const root = await tree([]);
    await expect(sysfsGpioNumber(17, { sysfsRoot: join(root, "absent") })).rejects.toMatchObject({
      code: "device-unavailable",
      message: expect.stringMatching(/no sysfs GPIO.*ENOENT.*CONFIG_GPIO_SYSFS/),
    });
  });

  it("lists chips and skips entries that are not chips", async () => {
    const chips = await readGpioChips(await tree(boards.pi4));
    expect(chips).toEqual([
      { name: "gpiochip512", base: 512, ngpio: 58, label: "pinctrl-bcm2711" },
      { name: "gpiochip570", base: 570, ngpio: 8, label: "raspberrypi-exp-gpio" },
    ]);
    expect(pickHeaderChip(chips).base).toBe(512);
  });
});
