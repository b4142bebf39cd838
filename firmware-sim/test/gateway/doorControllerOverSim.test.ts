import {
  DoorController,
  type DoorControllerOptions,
  inProcessLink,
  type LockOutput,
  type PartEvent,
  SimDoorInput,
  SimLockOutput,
} from "@passerelle/gateway";
import { validators } from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";

const t0 = Date.parse("2026-11-23T08:00:00.000Z");

/** One simulated door (firmware-sim, in process) behind the sim adapters. */
function simDoor(options: Partial<DoorControllerOptions> = {}) {
  const hub = new DeviceHub();
  const devices = hub.addDoor("main");
  const lock = new SimLockOutput("main:lock", inProcessLink(hub, "main:lock"));
  const contact = new SimDoorInput("main:contact", inProcessLink(hub, "main:contact"));
  const exitButton = new SimDoorInput("main:exit-button", inProcessLink(hub, "main:exit-button"));
  const events: PartEvent[] = [];
  const controller = new DoorController({
    id: "main",
    lock,
    contact,
    exitButton,
    record: (event) => events.push(event),
    ...options,
  });
  const relay = () => devices.lock.commands.map((c) => c.unlocked);
  const types = () => events.splice(0).map((e) => e.type);
  return { controller, devices, lock, contact, exitButton, events, relay, types };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(t0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("door controller over the sim adapters", () => {
  it("starts the adapters, locks the door and reads the contact", async () => {
    const d = simDoor();
    await d.controller.start();
    expect(d.relay()).toEqual([false]);
    expect(d.types()).toEqual(["door.locked", "door.closed"]);
    expect(d.controller.status()).toEqual({
      id: "main",
      lock: "locked",
      contact: "closed",
      alarm: null,
    });
    await d.controller.stop();
  });

  it("pulses the relay synchronously on grant and relocks when the door closes", async () => {
    const d = simDoor();
    await d.controller.start();
    d.types();
    d.controller.grant();
    // The simulated relay got the command inside grant(): no timer, no await.
    expect(d.relay()).toEqual([false, true]);
    d.devices.contact.open();
    d.devices.contact.close();
    expect(d.relay()).toEqual([false, true, false]);
    expect(d.types()).toEqual(["door.unlocked", "door.opened", "door.closed", "door.locked"]);
    await d.controller.stop();
  });

  it("unlocks on an exit-button push, and relocks after the pulse", async () => {
    const d = simDoor();
    await d.controller.start();
    d.types();
    d.devices.exitButton.push();
    expect(d.types()).toEqual(["exit.requested", "door.unlocked"]);
    expect(d.controller.status().lock).toBe("unlocked");
    vi.advanceTimersByTime(5000);
    expect(d.relay().at(-1)).toBe(false);
    expect(d.types()).toEqual(["door.locked"]);
    await d.controller.stop();
  });

  it("reports a forced door in its status and in events shaped for the outbox", async () => {
    const d = simDoor();
    await d.controller.start();
    d.events.splice(0);
    d.devices.contact.open();
    expect(d.controller.status()).toEqual({
      id: "main",
      lock: "locked",
      contact: "open",
      alarm: "forced-open",
    });
    const forced = d.events.find((e) => e.type === "door.forced-open");
    expect(forced).toEqual({
      type: "door.forced-open",
      door: "main",
      time: new Date(t0).toISOString(),
    });
    // Stamped by the app with id, seq and centre, it is a valid protocol event.
    const event = { ...forced, id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", seq: 1, centre: "redu" };
    expect(validators.events.check({ events: [event] })).toBe(true);
    await d.controller.stop();
  });

  it("applies fail-secure on stop, before the lock adapter stops", async () => {
    const d = simDoor({ lockMode: "fail-secure" });
    await d.controller.start();
    d.controller.grant();
    await d.controller.stop();
    expect(d.relay()).toEqual([false, true, false]);
    expect(d.lock.state()).toBe(false);
    // The lock adapter is stopped now: a late command would be refused.
    await expect(d.lock.set(true)).rejects.toThrow(/not started/);
  });

  it("applies fail-safe on stop: the door is released while the adapter still runs", async () => {
    const d = simDoor({ lockMode: "fail-safe" });
    await d.controller.start();
    await d.controller.stop();
    expect(d.relay()).toEqual([false, true]);
    expect(d.controller.status().lock).toBe("unlocked");
    vi.advanceTimersByTime(60_000);
    expect(d.relay()).toEqual([false, true]);
  });

  it("stops listening to the inputs after stop", async () => {
    const d = simDoor();
    await d.controller.start();
    await d.controller.stop();
    d.types();
    d.devices.exitButton.push();
    d.devices.contact.open();
    expect(d.types()).toEqual([]);
  });

  it("leaves adapters it does not own to their owner", async () => {
    const d = simDoor({ ownsHardware: false });
    await d.lock.start();
    await d.contact.start();
    await d.controller.start();
    await d.controller.stop();
    // Still running: the owner (the gateway's Hardware) stops it later.
    await expect(d.lock.set(false)).resolves.toBeUndefined();
    await d.lock.stop();
    await d.contact.stop();
  });

  it("keeps the door path alive when the relay refuses commands", async () => {
    const failing: LockOutput = {
      id: "bad",
      start: async () => {},
      stop: async () => {},
      set: () => Promise.reject(new Error("relay unplugged")),
      state: () => null,
    };
    const events: PartEvent[] = [];
    const controller = new DoorController({
      id: "x",
      lock: failing,
      record: (e) => events.push(e),
    });
    await controller.start();
    expect(() => controller.grant()).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.map((e) => e.type)).toEqual(["door.locked", "door.unlocked"]);
    expect(controller.status().contact).toBe("unknown");
    await controller.stop();
  });

  it("refuses remote unlocks while stopped or without a duration", async () => {
    const d = simDoor();
    d.controller.remoteUnlock(5000);
    await d.controller.start();
    d.types();
    d.controller.remoteUnlock(0);
    expect(d.types()).toEqual([]);
    d.controller.remoteUnlock(8000);
    expect(d.types()).toEqual(["remote.unlock", "door.unlocked"]);
    await d.controller.stop();
  });
});
