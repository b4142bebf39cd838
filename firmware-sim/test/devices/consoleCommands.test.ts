import { describe, expect, it } from "vitest";
import { runConsoleCommand } from "../../src/devices/consoleCommands.js";
import { DeviceHub } from "../../src/devices/deviceHub.js";

function centre() {
  const hub = new DeviceHub();
  const reader = hub.addReader("reader-1");
  const door = hub.addDoor("door-1");
  return { hub, reader, door };
}

describe("simulator console", () => {
  it("taps and presents cards on a reader", () => {
    const { hub, reader } = centre();
    const read: string[] = [];
    reader.on("badge", (uid) => read.push(Buffer.from(uid).toString("hex")));
    expect(runConsoleCommand(hub, "tap reader-1 04A1B2C3D4E5F6")).toBe(
      "reader-1: read 7-byte card",
    );
    expect(reader.hasCard()).toBe(false);
    runConsoleCommand(hub, "present reader-1 01020304");
    expect(reader.hasCard()).toBe(true);
    runConsoleCommand(hub, "remove reader-1");
    expect(read).toEqual(["04a1b2c3d4e5f6", "01020304"]);
  });

  it("moves the door contact, pushes the exit button and unplugs the reader", () => {
    const { hub, door, reader } = centre();
    const pushes: boolean[] = [];
    door.exitButton.on("change", (active) => pushes.push(active));
    expect(runConsoleCommand(hub, "open door-1")).toBe("door-1:contact: active");
    runConsoleCommand(hub, "press door-1");
    expect(pushes).toEqual([true, false]);
    runConsoleCommand(hub, "reader reader-1 error antenna cut");
    expect(reader.error).toBe("antenna cut");
    expect(runConsoleCommand(hub, "tap reader-1 01020304")).toMatch(/nothing read/);
  });

  it("lists the devices", () => {
    const { hub, door } = centre();
    door.lock.apply(true);
    expect(runConsoleCommand(hub, "status").split("\n")).toEqual([
      "reader-1: reader connected",
      "door-1:contact: inactive",
      "door-1:exit-button: inactive",
      "door-1:lock: lock UNLOCKED, 1 release(s)",
    ]);
  });

  it("explains bad commands", () => {
    const { hub } = centre();
    expect(() => runConsoleCommand(hub, "tap reader-1 0102")).toThrow(/4, 7 or 10 bytes/);
    expect(() => runConsoleCommand(hub, "tap reader-9 01020304")).toThrow(
      /no SimulatedReader named "reader-9"/,
    );
    expect(() => runConsoleCommand(hub, "open door-2")).toThrow(/door-2:contact/);
    expect(() => runConsoleCommand(hub, "fly")).toThrow(/unknown command "fly"/);
    expect(runConsoleCommand(hub, "")).toMatch(/^tap <reader>/);
  });
});
