import { afterEach, describe, expect, it, vi } from "vitest";
import { SerialRelayLock } from "../../../src/hardware/serialRelay/serialRelayLock.js";
import { SerialRelayPort } from "../../../src/hardware/serialRelay/serialRelayPort.js";
import { fakeSerial } from "./fakeSerialPort.js";

function setUp() {
  const serial = fakeSerial();
  const port = new SerialRelayPort({
    path: "/dev/ttyUSB0",
    reconnectMinMs: 100,
    reconnectMaxMs: 400,
    portFactory: async () => serial.factory,
  });
  return { serial, port };
}

describe("serial relay port (fake serialport)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens at 9600 baud and shares one port between the channels of one board", async () => {
    const { serial, port } = setUp();
    const first = new SerialRelayLock("door-1:lock", port, 1);
    const second = new SerialRelayLock("door-2:lock", port, 2);
    await first.start();
    await second.start();
    expect(serial.ports).toHaveLength(1);
    expect(serial.ports[0]?.baudRate).toBe(9600);
    await first.set(true);
    await second.set(true);
    expect(serial.frames()).toEqual(["a00101a2", "a00201a3"]);
    await first.stop();
    expect(serial.ports[0]?.isOpen).toBe(true);
    await second.stop();
    expect(serial.ports[0]?.isOpen).toBe(false);
  });

  it("reopens after an unplug and re-sends the latest wanted state of each channel", async () => {
    vi.useFakeTimers();
    const { serial, port } = setUp();
    const lock = new SerialRelayLock("door-1:lock", port, 3);
    await lock.start();
    await lock.set(true);
    serial.ports[0]?.unplug();
    // Unplugged mid-pulse: the lock command fails now but is what the board must get later.
    await expect(lock.set(false)).rejects.toMatchObject({ code: "device-unavailable" });
    expect(lock.state()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(serial.ports.length).toBeGreaterThan(1);
    serial.device.plugged = true;
    await vi.advanceTimersByTimeAsync(1000);
    const reopened = serial.ports.at(-1);
    expect(reopened?.isOpen).toBe(true);
    expect(reopened?.written.map((b) => Buffer.from(b).toString("hex"))).toEqual(["a00300a3"]);
    await lock.set(true);
    expect(lock.state()).toBe(true);
    await lock.stop();
  });

  it("keeps retrying when the board is absent at start, and start still resolves", async () => {
    vi.useFakeTimers();
    const { serial, port } = setUp();
    serial.device.plugged = false;
    const lock = new SerialRelayLock("l", port, 1);
    await lock.start();
    await expect(lock.set(true)).rejects.toMatchObject({ code: "device-unavailable" });
    expect(lock.state()).toBeNull();
    serial.device.plugged = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(port.isOpen()).toBe(true);
    expect(serial.frames().at(-1)).toBe("a00101a2");
    await lock.stop();
    const attempts = serial.ports.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(serial.ports.length).toBe(attempts); // no reopening once nobody uses the port
  });

  it("rejects a failed write with io-failed", async () => {
    const { serial, port } = setUp();
    const lock = new SerialRelayLock("l", port, 1);
    await lock.start();
    const open = serial.ports[0];
    if (open) open.failWrites = true;
    await expect(lock.set(true)).rejects.toMatchObject({ code: "io-failed" });
    await lock.stop();
  });
});
