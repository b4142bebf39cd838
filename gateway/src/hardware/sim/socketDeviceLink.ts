import { connect, type NetConnectOpts, type Socket } from "node:net";
import { type Logger, silentLogger } from "../../core/logger.js";
import { ReconnectBackoff } from "../../core/reconnectBackoff.js";
import { HardwareError } from "../ports.js";
import { parseDeviceEvent } from "./deviceEventParser.js";
import { MAX_LINE_BYTES } from "./deviceWire.js";
import type { DeviceCommand, SimDeviceLink, SimLinkHandlers } from "./simDeviceLink.js";

/** firmware-sim's default device server address. */
export const DEFAULT_SIM_ENDPOINT = "tcp://127.0.0.1:7399";

/** `unix:/path/to.sock` or `tcp://host:port` to socket options; throws on anything else. */
export function parseSimEndpoint(endpoint: string): NetConnectOpts {
  if (endpoint.startsWith("unix:") && endpoint.length > 5) return { path: endpoint.slice(5) };
  const match = /^tcp:\/\/([^:/]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(endpoint);
  const port = Number(match?.[2]);
  if (match?.[1] !== undefined && port > 0 && port < 65536) {
    return { host: match[1].replace(/^\[|\]$/g, ""), port };
  }
  throw new HardwareError(
    "config-invalid",
    `sim endpoint ${JSON.stringify(endpoint)}: expected unix:/path or tcp://host:port`,
  );
}

export interface SocketLinkOptions {
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  logger?: Logger;
}

/**
 * A link to one device of firmware-sim's device server, over newline-delimited JSON. It attaches
 * on every connection and reconnects with backoff when the simulator restarts.
 */
export function socketLink(
  endpoint: string,
  device: string,
  options: SocketLinkOptions = {},
): SimDeviceLink {
  const address = parseSimEndpoint(endpoint);
  const log = (options.logger ?? silentLogger).child({ module: "gateway:hardware:sim", device });
  const backoff = new ReconnectBackoff(
    options.reconnectMinMs ?? 250,
    options.reconnectMaxMs ?? 5000,
  );
  let handlers: SimLinkHandlers | undefined;
  let socket: Socket | undefined;
  let attached = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let firstAttempt: (() => void) | undefined;
  let refusal: string | undefined;

  const settleFirstAttempt = () => {
    firstAttempt?.();
    firstAttempt = undefined;
  };

  const onLine = (line: string) => {
    const event = parseDeviceEvent(line);
    if ("invalid" in event) {
      log.warn({ reason: event.invalid }, "refused a line from the simulator");
      return;
    }
    if (event.event === "attached") {
      attached = true;
      backoff.reset();
      handlers?.onLink(true);
      settleFirstAttempt();
    } else if (event.event === "error" && !attached) {
      // The server refused to attach (unknown device): drop the connection and retry later,
      // the simulator may be restarted with that device.
      refusal = event.message;
      socket?.destroy();
      return;
    } else if (event.event === "error") {
      log.warn({ message: event.message }, "simulator refused a command");
      return;
    }
    handlers?.onEvent(event);
  };

  const scheduleReconnect = () => {
    if (handlers === undefined || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connectOnce();
    }, backoff.next());
  };

  const connectOnce = () => {
    if (handlers === undefined) return;
    const current = connect(address);
    socket = current;
    let pending = "";
    current.setEncoding("utf8");
    current.setNoDelay?.(true);
    current.on("connect", () => {
      current.write(`${JSON.stringify({ op: "attach", device })}\n`);
    });
    current.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      if (Buffer.byteLength(pending) > MAX_LINE_BYTES) {
        log.warn("simulator sent an over-long line; reconnecting");
        current.destroy();
        return;
      }
      for (const line of lines) if (line.trim() !== "") onLine(line);
    });
    current.on("error", (error) => log.debug({ err: error.message }, "simulator link error"));
    current.on("close", () => {
      if (socket !== current) return;
      socket = undefined;
      const wasAttached = attached;
      attached = false;
      if (wasAttached) log.info("simulator link lost; reconnecting");
      handlers?.onLink(false, refusal ?? `no simulator at ${endpoint}`);
      refusal = undefined;
      settleFirstAttempt();
      scheduleReconnect();
    });
  };

  return {
    device,
    open(nextHandlers) {
      handlers = nextHandlers;
      return new Promise<void>((resolve) => {
        firstAttempt = resolve;
        connectOnce();
      });
    },
    send(command: DeviceCommand) {
      if (socket === undefined || !attached) return false;
      socket.write(`${JSON.stringify(command)}\n`);
      return true;
    },
    async close() {
      handlers = undefined;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      attached = false;
      settleFirstAttempt();
      const current = socket;
      socket = undefined;
      if (current !== undefined && !current.destroyed) {
        await new Promise<void>((resolve) => {
          current.once("close", () => resolve());
          current.destroy();
        });
      }
    },
  };
}
