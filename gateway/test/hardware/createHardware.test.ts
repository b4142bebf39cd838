import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHardware,
  gatewayReaders,
  type ModuleLoaders,
} from "../../src/hardware/createHardware.js";
import { parseHardwareConfig } from "../../src/hardware/hardwareConfig.js";
import { HardwareError } from "../../src/hardware/ports.js";
import { fakeGpio } from "./gpio/fakeGpio.js";
import { boards, fakeSysfsGpio } from "./gpio/fakeSysfs.js";
import { fakeNfcPcsc } from "./pcsc/fakeNfcPcsc.js";
import { fakeSerial } from "./serialRelay/fakeSerialPort.js";

/** Loaders that count their calls; none touches a real native module. */
function countingLoaders() {
  const calls: (keyof ModuleLoaders)[] = [];
  const gpio = fakeGpio();
  const serial = fakeSerial();
  const nfc = fakeNfcPcsc("Fake Reader");
  const loaders: ModuleLoaders = {
    nfcPcsc: async () => {
      calls.push("nfcPcsc");
      return nfc.module;
    },
    onoff: async () => {
      calls.push("onoff");
      return gpio.factory;
    },
    serialport: async () => {
      calls.push("serialport");
      return serial.factory;
    },
  };
  return { calls, loaders, gpio, serial, nfc };
}

let sysfsGpioRoot: string;
let removeSysfs: () => Promise<void>;
beforeAll(async () => {
  const sysfs = await fakeSysfsGpio(boards.pi4);
  sysfsGpioRoot = sysfs.root;
  removeSysfs = sysfs.remove;
});
afterAll(() => removeSysfs());

describe("createHardware", () => {
  it("loads only the modules of the configured adapters", async () => {
    const { calls, loaders, gpio } = countingLoaders();
    const hardware = await createHardware(
      {
        sysfsGpioRoot,
        reader: { adapter: "sim" },
        doors: [
          {
            id: "front",
            contact: { adapter: "gpio", line: 22, activeLow: true },
            lock: { adapter: "gpio", line: 17 },
          },
        ],
      },
      // The sim reader is only created here, not started: no simulator is needed.
      { loaders },
    );
    expect(calls).toEqual(["onoff"]);
    const front = hardware.doors[0];
    await front?.contact?.start();
    await front?.lock.start();
    expect(gpio.lines.map((l) => [l.sysfsNumber, l.direction])).toEqual([
      [534, "in"],
      [529, "low"],
    ]);
    expect(gpio.lines[0]?.options).toEqual({ debounceTimeout: 20, activeLow: true });
    await front?.contact?.stop();
    await front?.lock.stop();
  });

  it("shares one serial port between the relay channels of one board", async () => {
    const { calls, loaders, serial } = countingLoaders();
    const hardware = await createHardware(
      {
        reader: { adapter: "pcsc", readerName: "ACR122" },
        doors: [
          { id: "a", lock: { adapter: "serial-relay", path: "/dev/ttyUSB0", channel: 1 } },
          { id: "b", lock: { adapter: "serial-relay", path: "/dev/ttyUSB0", channel: 2 } },
        ],
      },
      { loaders },
    );
    expect(calls.sort()).toEqual(["nfcPcsc", "serialport"]);
    for (const door of hardware.doors) await door.lock.start();
    await hardware.doors[1]?.lock.set(true);
    expect(serial.ports).toHaveLength(1);
    expect(serial.frames()).toEqual(["a00201a3"]);
    for (const door of hardware.doors) await door.lock.stop();
  });

  it("fails at creation with module-missing when a configured adapter's module is absent", async () => {
    const { loaders } = countingLoaders();
    loaders.serialport = async () => {
      throw new HardwareError("module-missing", 'the "serial-relay" adapter needs "serialport"');
    };
    await expect(
      createHardware(
        {
          reader: { adapter: "sim" },
          doors: [{ id: "a", lock: { adapter: "serial-relay", path: "/dev/ttyUSB0" } }],
        },
        { loaders },
      ),
    ).rejects.toMatchObject({ code: "module-missing" });
  });
});

describe("parseHardwareConfig", () => {
  it("fills defaults and the sim endpoint", () => {
    const config = parseHardwareConfig({
      reader: { adapter: "pcsc" },
      doors: [
        {
          id: "d",
          lock: { adapter: "serial-relay", path: "/dev/ttyUSB0" },
          exitButton: { adapter: "gpio", line: 5 },
        },
      ],
    });
    expect(config.simEndpoint).toBe("tcp://127.0.0.1:7399");
    expect(config.doors[0]?.lock).toEqual({
      adapter: "serial-relay",
      path: "/dev/ttyUSB0",
      channel: 1,
      baudRate: 9600,
    });
    expect(config.doors[0]?.exitButton).toEqual({
      adapter: "gpio",
      line: 5,
      activeLow: false,
      debounceMs: 20,
    });
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      parseHardwareConfig({
        reader: { adapter: "nfc" },
        doors: [
          {
            id: "a",
            lock: { adapter: "gpio", line: 17 },
            contact: { adapter: "gpio", line: 17 },
            colour: "red",
          },
          { id: "b", lock: { adapter: "serial-relay", path: "/dev/ttyUSB0", channel: 9 } },
          { id: "a", lock: { adapter: "sim" }, exitButton: { adapter: "gpio", line: 99 } },
        ],
        extra: true,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HardwareError);
    const message = (error as HardwareError).message;
    for (const expected of [
      /\/extra: unknown property/,
      /\/reader\/adapter: expected one of "pcsc", "osdp", "sim", got "nfc"/,
      /\/doors\/0\/colour: unknown property/,
      /\/doors\/0\/contact: GPIO line 17 is already used by \/doors\/0\/lock/,
      /\/doors\/1\/lock\/channel/,
      /\/doors\/2\/exitButton\/line/,
      /\/doors\/2\/id: duplicate door id a/,
    ]) {
      expect(message).toMatch(expected);
    }
  });

  it("refuses two doors on one relay channel", () => {
    expect(() =>
      parseHardwareConfig({
        reader: { adapter: "sim" },
        doors: [
          { id: "a", lock: { adapter: "serial-relay", path: "/dev/ttyUSB0", channel: 2 } },
          { id: "b", lock: { adapter: "serial-relay", path: "/dev/ttyUSB0", channel: 2 } },
        ],
      }),
    ).toThrow(/relay \/dev\/ttyUSB0 channel 2 is already used by \/doors\/0\/lock/);
  });

  it("takes a reader inside a door (its exit reader), with its own id", async () => {
    const config = parseHardwareConfig({
      reader: { adapter: "sim", device: "redu:reader-1" },
      doors: [
        {
          id: "front",
          lock: { adapter: "sim" },
          exitReader: { adapter: "sim", device: "redu:reader-2" },
        },
        { id: "back", lock: { adapter: "sim" }, exitReader: { adapter: "pcsc", id: "inside" } },
      ],
    });
    expect(config.doors[0]?.exitReader).toEqual({ adapter: "sim", device: "redu:reader-2" });
    const { calls, loaders } = countingLoaders();
    const hardware = await createHardware(config, { loaders });
    // The PC/SC module is needed for the exit reader alone.
    expect(calls).toEqual(["nfcPcsc"]);
    expect(gatewayReaders(hardware).map(({ reader, exitDoor }) => [reader.id, exitDoor])).toEqual([
      ["reader-1", undefined],
      ["front:exit-reader", "front"],
      ["inside", "back"],
    ]);
  });

  it("refuses an exit reader on the entry reader's device or id, or a bad one", () => {
    let error: unknown;
    try {
      parseHardwareConfig({
        reader: { adapter: "sim", id: "reader-1", device: "redu:reader-1" },
        doors: [
          {
            id: "a",
            lock: { adapter: "sim" },
            exitReader: { adapter: "sim", id: "reader-2", device: "redu:reader-1" },
          },
          { id: "b", lock: { adapter: "sim" }, exitReader: { adapter: "sim", id: "reader-1" } },
          { id: "c", lock: { adapter: "sim" }, exitReader: { adapter: "osdp", path: "/dev/x" } },
        ],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HardwareError);
    const message = (error as HardwareError).message;
    for (const expected of [
      /\/doors\/0\/exitReader: simulated device redu:reader-1 is already used by \/reader/,
      /\/doors\/1\/exitReader\/id: reader id reader-1 is already used by \/reader/,
      /\/doors\/2\/exitReader.*address/,
    ]) {
      expect(message).toMatch(expected);
    }
  });
});
