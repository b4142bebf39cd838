import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  inProcessLink,
  SimBadgeReader,
  type SimDeviceLink,
  SimDoorInput,
  SimLockOutput,
  socketLink,
} from "@passerelle/gateway";
import {
  describeBadgeReaderContract,
  describeDoorInputContract,
  describeLockOutputContract,
  waitUntil,
} from "@passerelle/gateway/hardware-contracts";
import { afterEach, describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { type RunningDeviceServer, startDeviceServer } from "../../src/devices/deviceServer.js";

type Transport = "in-process" | "tcp" | "unix socket";

/** A hub with one reader and one door, reachable through the chosen transport. */
async function simCentre(transport: Transport) {
  const hub = new DeviceHub();
  const reader = hub.addReader("reader-1");
  const door = hub.addDoor("door-1");
  let server: RunningDeviceServer | undefined;
  if (transport === "tcp") server = await startDeviceServer(hub, { port: 0 });
  if (transport === "unix socket") {
    const path = join(
      tmpdir(),
      `passerelle-sim-${process.pid}-${Math.random().toString(36).slice(2)}.sock`,
    );
    server = await startDeviceServer(hub, { path });
  }
  const link = (device: string): SimDeviceLink =>
    server === undefined
      ? inProcessLink(hub, device)
      : socketLink(server.endpoint, device, { reconnectMinMs: 50, reconnectMaxMs: 200 });
  return { hub, reader, door, link, close: async () => server?.close() };
}

for (const transport of ["in-process", "tcp", "unix socket"] as const) {
  describeBadgeReaderContract(`sim reader (${transport})`, async () => {
    const centre = await simCentre(transport);
    return {
      reader: new SimBadgeReader("entrance", centre.link("reader-1")),
      present: async (uid) => {
        centre.reader.present(uid);
      },
      remove: async () => centre.reader.remove(),
      dispose: centre.close,
    };
  });

  describeDoorInputContract(`sim door contact (${transport})`, async () => {
    const centre = await simCentre(transport);
    return {
      input: new SimDoorInput("door-1:contact", centre.link("door-1:contact")),
      drive: async (active) => centre.door.contact.set(active),
      dispose: centre.close,
    };
  });

  describeLockOutputContract(`sim lock (${transport})`, async () => {
    const centre = await simCentre(transport);
    return {
      lock: new SimLockOutput("door-1:lock", centre.link("door-1:lock")),
      received: () => centre.door.lock.commands.map((c) => c.unlocked),
      dispose: centre.close,
    };
  });
}

describe("sim adapters", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("follows the simulated reader's own state", async () => {
    const centre = await simCentre("in-process");
    const reader = new SimBadgeReader("r", centre.link("reader-1"));
    await reader.start();
    cleanups.push(() => reader.stop());
    centre.reader.setState("error", "antenna fault");
    expect(reader.status()).toEqual({ readerId: "r", state: "error", error: "antenna fault" });
    centre.reader.setState("disconnected");
    expect(reader.status().state).toBe("disconnected");
  });

  it("refuses an unknown in-process device at start", async () => {
    const centre = await simCentre("in-process");
    const lock = new SimLockOutput("l", centre.link("door-9:lock"));
    await expect(lock.start()).rejects.toMatchObject({ code: "config-invalid" });
  });

  it("reconnects to a restarted simulator: status, level and lock state come back", async () => {
    const hub = new DeviceHub();
    const simReader = hub.addReader("reader-1");
    const door = hub.addDoor("door-1");
    const path = join(tmpdir(), `passerelle-sim-restart-${process.pid}.sock`);
    let server = await startDeviceServer(hub, { path });
    cleanups.push(() => server.close());
    const options = { reconnectMinMs: 50, reconnectMaxMs: 200 };
    const reader = new SimBadgeReader("r", socketLink(server.endpoint, "reader-1", options));
    const contact = new SimDoorInput("c", socketLink(server.endpoint, "door-1:contact", options));
    const lock = new SimLockOutput("l", socketLink(server.endpoint, "door-1:lock", options));
    for (const part of [reader, contact, lock]) {
      await part.start();
      cleanups.push(() => part.stop());
    }
    const changes: boolean[] = [];
    contact.onChange((active) => changes.push(active));
    await lock.set(true);
    await waitUntil(() => door.lock.unlocked === true, "the lock to open");

    await server.close();
    await waitUntil(() => reader.status().state !== "connected", "the reader to drop");
    expect(reader.status()).toMatchObject({
      state: "error",
      error: expect.stringMatching(/no simulator/),
    });
    await waitUntil(() => contact.read() === null, "the contact level to become unknown");
    await expect(lock.set(false)).rejects.toMatchObject({ code: "device-unavailable" });

    door.contact.open(); // changed while the gateway could not see it
    server = await startDeviceServer(hub, { path });
    await waitUntil(() => reader.status().state === "connected", "the reader to come back");
    await waitUntil(() => contact.read() === true, "the contact level");
    expect(changes).toEqual([true]);
    await waitUntil(() => door.lock.unlocked === false, "the wanted lock state re-sent");
    const badges: string[] = [];
    reader.onBadge((b) => badges.push(Buffer.from(b.uid).toString("hex")));
    simReader.tap(Uint8Array.of(5, 6, 7, 8));
    await waitUntil(() => badges.length === 1, "a badge after the restart");
    expect(badges).toEqual(["05060708"]);
  });

  it("reports a device the simulator does not have, and keeps retrying", async () => {
    const hub = new DeviceHub();
    const server = await startDeviceServer(hub, { port: 0 });
    cleanups.push(() => server.close());
    const reader = new SimBadgeReader(
      "r",
      socketLink(server.endpoint, "reader-7", { reconnectMinMs: 50 }),
    );
    await reader.start();
    cleanups.push(() => reader.stop());
    expect(reader.status()).toMatchObject({ state: "error", error: 'unknown device "reader-7"' });
    hub.addReader("reader-7");
    await waitUntil(() => reader.status().state === "connected", "the device to appear");
  });
});
