import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DeviceHub } from "../../src/devices/deviceHub.js";
import { type RunningDeviceServer, startDeviceServer } from "../../src/devices/deviceServer.js";
import type { DeviceEvent } from "../../src/devices/deviceWire.js";

/** A raw NDJSON client that collects events and can wait for one. */
class RawClient {
  readonly events: DeviceEvent[] = [];
  private buffer = "";
  private wakeUp: (() => void) | undefined;

  constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      const lines = this.buffer.split("\n");
      this.buffer = lines.pop() ?? "";
      for (const line of lines) this.events.push(JSON.parse(line) as DeviceEvent);
      this.wakeUp?.();
    });
  }

  static async open(endpoint: string): Promise<RawClient> {
    const socket = endpoint.startsWith("unix:")
      ? connect({ path: endpoint.slice(5) })
      : connect({ host: "127.0.0.1", port: Number(new URL(endpoint).port) });
    await once(socket, "connect");
    return new RawClient(socket);
  }

  send(line: string): void {
    this.socket.write(`${line}\n`);
  }

  async waitFor(predicate: (event: DeviceEvent) => boolean): Promise<DeviceEvent> {
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
      });
    }
  }
}

describe("device server", () => {
  let server: RunningDeviceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("streams a reader's state and badges after attach (TCP)", async () => {
    const hub = new DeviceHub(() => 5);
    const reader = hub.addReader("reader-1");
    server = await startDeviceServer(hub, { port: 0 });
    expect(server.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const client = await RawClient.open(server.endpoint);
    client.send(JSON.stringify({ op: "attach", device: "reader-1" }));
    await client.waitFor((e) => e.event === "reader-status");
    reader.tap(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    const badge = await client.waitFor((e) => e.event === "badge");
    expect(badge).toEqual({ event: "badge", device: "reader-1", uid: "deadbeef", at: 5 });
    expect(client.events[0]).toEqual({ event: "attached", device: "reader-1", kind: "reader" });
    client.socket.destroy();
  });

  it("applies lock commands and echoes the state (Unix socket)", async () => {
    const hub = new DeviceHub();
    const door = hub.addDoor("door-1");
    server = await startDeviceServer(hub, {
      path: join(tmpdir(), `passerelle-sim-test-${process.pid}.sock`),
    });
    expect(server.endpoint).toMatch(/^unix:/);
    const client = await RawClient.open(server.endpoint);
    client.send(JSON.stringify({ op: "attach", device: "door-1:lock" }));
    client.send(JSON.stringify({ op: "set-lock", device: "door-1:lock", unlocked: true }));
    await client.waitFor((e) => e.event === "lock" && e.unlocked === true);
    expect(door.lock.commands.map((c) => c.unlocked)).toEqual([true]);
    // An applied command is answered by the state echo only, never by an error.
    client.send(JSON.stringify({ op: "set-lock", device: "door-1:lock", unlocked: false }));
    await client.waitFor((e) => e.event === "lock" && e.unlocked === false);
    expect(client.events.filter((e) => e.event === "error")).toEqual([]);
    client.socket.destroy();
  });

  it("refuses a Unix socket a live server answers on, and replaces a stale one", async () => {
    const path = join(tmpdir(), `passerelle-sim-twice-${process.pid}.sock`);
    server = await startDeviceServer(new DeviceHub(), { path });
    await expect(startDeviceServer(new DeviceHub(), { path })).rejects.toThrow(
      /another device server/,
    );
    await server.close();
    await writeFile(path, ""); // what a killed simulator leaves behind
    server = await startDeviceServer(new DeviceHub(), { path });
    expect(server.endpoint).toBe(`unix:${path}`);
  });

  it("answers bad lines with an error event and keeps serving", async () => {
    const hub = new DeviceHub();
    const door = hub.addDoor("d");
    server = await startDeviceServer(hub, { port: 0 });
    const client = await RawClient.open(server.endpoint);
    client.send("not json");
    client.send(JSON.stringify({ op: "attach", device: "nope" }));
    client.send(JSON.stringify({ op: "set-lock", device: "d:lock", unlocked: true }));
    client.send(JSON.stringify({ op: "attach", device: "d:contact" }));
    client.send(JSON.stringify({ op: "set-lock", device: "d:contact", unlocked: true }));
    door.contact.open();
    await client.waitFor((e) => e.event === "input" && e.active);
    const errors = client.events.flatMap((e) => (e.event === "error" ? [e.message] : []));
    expect(errors).toEqual([
      "invalid command: not JSON",
      'unknown device "nope"',
      "not attached to d:lock",
      "d:contact is not a lock",
    ]);
    expect(door.lock.commands).toEqual([]);
    client.socket.destroy();
  });

  it("drops a client whose line exceeds the limit", async () => {
    server = await startDeviceServer(new DeviceHub(), { port: 0 });
    const client = await RawClient.open(server.endpoint);
    const closed = once(client.socket, "close");
    client.socket.write("x".repeat(20_000));
    await closed;
    expect(client.events.at(-1)).toEqual({ event: "error", message: "line too long" });
  });
});
