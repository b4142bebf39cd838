import { createHardware, type ModuleLoaders } from "@passerelle/gateway";
import { describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";

/**
 * createHardware's "sim" adapters on an in-process hub of simulated devices (the gateway's own
 * createHardware tests cover the other adapters with fake native modules).
 */

/** Loaders that count their calls; a "sim" centre must call none of them. */
function countingLoaders() {
  const calls: (keyof ModuleLoaders)[] = [];
  const refuse = (name: keyof ModuleLoaders) => async (): Promise<never> => {
    calls.push(name);
    throw new Error(`${name} is not loaded in this test`);
  };
  const loaders: ModuleLoaders = {
    nfcPcsc: refuse("nfcPcsc"),
    onoff: refuse("onoff"),
    serialport: refuse("serialport"),
  };
  return { calls, loaders };
}

describe("createHardware with simulated devices", () => {
  it('builds the demo centre from { "adapter": "sim" } and loads no native module', async () => {
    const hub = new DeviceHub();
    const reader = hub.addReader("reader-1");
    const door = hub.addDoor("door-1");
    const { calls, loaders } = countingLoaders();
    const hardware = await createHardware({ adapter: "sim" }, { simHub: hub, loaders });
    expect(calls).toEqual([]);
    expect(hardware.doors.map((d) => [d.id, d.contact?.id, d.exitButton?.id, d.lock.id])).toEqual([
      ["door-1", "door-1:contact", "door-1:exit-button", "door-1:lock"],
    ]);
    await hardware.start();
    const badges: number[] = [];
    hardware.reader.onBadge((b) => badges.push(b.uid.length));
    reader.tap(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
    door.contact.open();
    await hardware.doors[0]?.lock.set(true);
    expect(badges).toEqual([7]);
    expect(hardware.doors[0]?.contact?.read()).toBe(true);
    expect(door.lock.unlocked).toBe(true);
    await hardware.stop();
    expect(hardware.reader.status().state).toBe("disconnected");
  });

  it("stops what it started when a later part fails to start", async () => {
    const hub = hubWith("reader-1", "door-1:contact");
    const { loaders } = countingLoaders();
    const hardware = await createHardware(
      {
        reader: { adapter: "sim" },
        doors: [
          {
            id: "door-1",
            contact: { adapter: "sim" },
            lock: { adapter: "sim", device: "missing:lock" },
          },
        ],
      },
      { simHub: hub, loaders },
    );
    await expect(hardware.start()).rejects.toMatchObject({ code: "config-invalid" });
    expect(hardware.reader.status().state).toBe("disconnected");
    expect(hardware.doors[0]?.contact?.read()).toBeNull();
  });
});

function hubWith(...ids: string[]): DeviceHub {
  const hub = new DeviceHub();
  for (const id of ids) {
    if (id.startsWith("reader")) hub.addReader(id);
    else hub.addDoor(id.split(":")[0] as string);
  }
  return hub;
}
