import { rm } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import type { DeviceHub, DeviceSession } from "./deviceHub.js";
import { type DeviceEvent, encodeLine, LineSplitter, parseDeviceCommand } from "./deviceWire.js";

/** A Unix socket path, or a TCP port on loopback (0 = any free port). */
export type DeviceServerAddress = { path: string } | { host?: string; port: number };

export interface RunningDeviceServer {
  /** Where clients connect: `unix:<path>` or `tcp://host:port`. */
  readonly endpoint: string;
  /** Stops listening and drops every client, as a simulator that exits would. */
  close(): Promise<void>;
}

function serve(socket: Socket, hub: DeviceHub): void {
  const sessions = new Map<string, DeviceSession>();
  const splitter = new LineSplitter();
  const send = (event: DeviceEvent) => {
    if (!socket.destroyed) socket.write(encodeLine(event));
  };
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    const lines = splitter.push(chunk);
    if (lines === null) {
      send({ event: "error", message: "line too long" });
      socket.destroy();
      return;
    }
    for (const line of lines) {
      const command = parseDeviceCommand(line);
      if ("invalid" in command) {
        send({ event: "error", message: `invalid command: ${command.invalid}` });
        continue;
      }
      if (command.op === "attach") {
        if (sessions.has(command.device)) continue;
        try {
          sessions.set(command.device, hub.attach(command.device, send));
        } catch (error) {
          send({ event: "error", device: command.device, message: (error as Error).message });
        }
        continue;
      }
      const session = sessions.get(command.device);
      // send() returns undefined when it applied the command: only a refusal is answered.
      const refusal =
        session === undefined ? `not attached to ${command.device}` : session.send(command);
      if (refusal !== undefined) send({ event: "error", device: command.device, message: refusal });
    }
  });
  socket.on("error", () => socket.destroy());
  socket.on("close", () => {
    for (const session of sessions.values()) session.detach();
    sessions.clear();
  });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ path });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

/**
 * Serves the hub's devices to out-of-process clients (a gateway started with the "sim"
 * adapters). Each client line is a DeviceCommand; each server line a DeviceEvent.
 */
export async function startDeviceServer(
  hub: DeviceHub,
  address: DeviceServerAddress,
): Promise<RunningDeviceServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serve(socket, hub);
  });
  // A socket file left by a simulator that was killed would make listen() fail with EADDRINUSE;
  // one a live simulator still answers on is not ours to remove.
  if ("path" in address) {
    if (await answers(address.path)) {
      throw new Error(`another device server is listening on ${address.path}`);
    }
    await rm(address.path, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if ("path" in address) server.listen(address.path, resolve);
    else server.listen(address.port, address.host ?? "127.0.0.1", resolve);
  });
  const bound = server.address();
  const endpoint =
    typeof bound === "string"
      ? `unix:${bound}`
      : `tcp://${bound?.address ?? "127.0.0.1"}:${bound?.port ?? 0}`;
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
