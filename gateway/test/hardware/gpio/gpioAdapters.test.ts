import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GpioDoorInput } from "../../../src/hardware/gpio/gpioDoorInput.js";
import { GpioLockOutput } from "../../../src/hardware/gpio/gpioLockOutput.js";
import { HardwareError } from "../../../src/hardware/ports.js";
import { describeDoorInputContract } from "../contracts/doorInputContract.js";
import { describeLockOutputContract } from "../contracts/lockOutputContract.js";
import { fakeGpio } from "./fakeGpio.js";
import { boards, fakeSysfsGpio } from "./fakeSysfs.js";

/**
 * The gpio adapters against a fake onoff Gpio and a fake sysfs tree (a Pi 5: base 571). onoff
 * itself cannot run here: it needs a real /sys/class/gpio with exportable lines and epoll on
 * their value files, which only a board with GPIO hardware has.
 */

let sysfsRoot: string;
let removeSysfs: () => Promise<void>;
beforeAll(async () => {
  const sysfs = await fakeSysfsGpio(boards.pi5);
  sysfsRoot = sysfs.root;
  removeSysfs = sysfs.remove;
});
afterAll(() => removeSysfs());

for (const activeLow of [false, true]) {
  describeDoorInputContract(`gpio input (fake onoff, activeLow=${activeLow})`, async () => {
    // The contract's lines start inactive: physical high when the line is active-low.
    const gpio = fakeGpio({ [571 + 22]: activeLow ? 1 : 0 });
    const input = new GpioDoorInput({
      id: "door-1:contact",
      line: 22,
      activeLow,
      debounceMs: 25,
      sysfsRoot,
      lineFactory: async () => gpio.factory,
    });
    return {
      input,
      drive: async (active) => gpio.setPin(571 + 22, (active !== activeLow ? 1 : 0) as 0 | 1),
      dispose: async () => {},
    };
  });

  describeLockOutputContract(`gpio lock (fake onoff, activeLow=${activeLow})`, async () => {
    const gpio = fakeGpio();
    const lock = new GpioLockOutput({
      id: "door-1:lock",
      line: 17,
      activeLow,
      sysfsRoot,
      lineFactory: async () => gpio.factory,
    });
    return {
      lock,
      received: () => gpio.lines.flatMap((line) => line.writes.map((value) => value === 1)),
      dispose: async () => {},
    };
  });
}

describe("gpio adapters (fake onoff)", () => {
  it("opens the input on base + BCM line with both edges, debounce and active-low", async () => {
    const gpio = fakeGpio();
    const input = new GpioDoorInput({
      id: "c",
      line: 27,
      activeLow: true,
      debounceMs: 30,
      sysfsRoot,
      lineFactory: async () => gpio.factory,
    });
    await input.start();
    expect(gpio.last()).toMatchObject({
      sysfsNumber: 598,
      direction: "in",
      edge: "both",
      options: { debounceTimeout: 30, activeLow: true },
    });
    await input.stop();
    expect(gpio.last().exported).toBe(false);
  });

  it("reports a repeated level once (a bounce that settles where it was)", async () => {
    const gpio = fakeGpio();
    const input = new GpioDoorInput({
      id: "c",
      line: 5,
      sysfsRoot,
      lineFactory: async () => gpio.factory,
    });
    const changes: boolean[] = [];
    input.onChange((active) => changes.push(active));
    await input.start();
    const line = gpio.last();
    line.notify(0); // bounced and settled low again: no change
    line.failRead(new Error("EIO"));
    expect(input.read()).toBeNull();
    line.notify(1);
    line.notify(1);
    expect(changes).toEqual([true]);
    expect(input.read()).toBe(true);
    await input.stop();
  });

  it("starts the lock line de-energised, at the right physical level for its polarity", async () => {
    for (const [activeLow, direction, physical] of [
      [false, "low", 0],
      [true, "high", 1],
    ] as const) {
      const gpio = fakeGpio();
      const lock = new GpioLockOutput({
        id: "l",
        line: 17,
        activeLow,
        sysfsRoot,
        lineFactory: async () => gpio.factory,
      });
      await lock.start();
      expect(gpio.last()).toMatchObject({ sysfsNumber: 588, direction, physical });
      await lock.set(true);
      expect(gpio.last().physical).toBe(activeLow ? 0 : 1);
      await lock.stop();
    }
  });

  it("rejects a failed write with io-failed and keeps the previous state", async () => {
    const gpio = fakeGpio();
    const lock = new GpioLockOutput({
      id: "l",
      line: 17,
      sysfsRoot,
      lineFactory: async () => gpio.factory,
    });
    await lock.start();
    await lock.set(false);
    gpio.last().failWrites = true;
    await expect(lock.set(true)).rejects.toMatchObject({ code: "io-failed" });
    expect(lock.state()).toBe(false);
    await lock.stop();
  });

  it("turns an export failure into device-unavailable with a hint", async () => {
    const lock = new GpioLockOutput({
      id: "l",
      line: 17,
      sysfsRoot,
      lineFactory: async () => () => {
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      },
    });
    const failure = lock.start();
    await expect(failure).rejects.toBeInstanceOf(HardwareError);
    await expect(failure).rejects.toMatchObject({
      code: "device-unavailable",
      message: expect.stringMatching(/GPIO 17 \(sysfs 588\): EACCES.*gpio group/),
    });
  });
});
