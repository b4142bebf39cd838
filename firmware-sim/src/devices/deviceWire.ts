import type { DeviceCommand, DeviceEvent } from "@passerelle/gateway";
import { MAX_LINE_BYTES } from "@passerelle/gateway";

/**
 * The device server's side of the wire format the gateway defines (its
 * hardware/sim/deviceWire.ts): the gateway's sim adapters are the clients, this simulator the
 * server, and the in-process hub hands over the same events, so both paths behave alike.
 */
export type {
  DeviceCommand,
  DeviceEvent,
  DeviceKind,
  DeviceSession,
  SimDeviceSource,
  WireReaderState,
} from "@passerelle/gateway";
export { MAX_LINE_BYTES };

const DEVICE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses one client line; returns a message saying what is wrong instead of throwing. */
export function parseDeviceCommand(line: string): DeviceCommand | { invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { invalid: "not JSON" };
  }
  if (!isRecord(value)) return { invalid: "not a JSON object" };
  const { op, device } = value;
  if (typeof device !== "string" || !DEVICE_ID.test(device)) {
    return { invalid: "device must be an id of 1-64 letters, digits, '.', '_', ':' or '-'" };
  }
  if (op === "attach") return { op, device };
  if (op === "set-lock") {
    if (typeof value.unlocked !== "boolean") return { invalid: "unlocked must be a boolean" };
    return { op, device, unlocked: value.unlocked };
  }
  return { invalid: `unknown op ${JSON.stringify(op)}` };
}

export function encodeLine(message: DeviceEvent | DeviceCommand): string {
  return `${JSON.stringify(message)}\n`;
}

/** Splits a byte stream into lines, refusing a line over MAX_LINE_BYTES. */
export class LineSplitter {
  private pending = "";

  /** Returns the complete lines, or null when the peer exceeded the line limit. */
  push(chunk: string): string[] | null {
    this.pending += chunk;
    const lines = this.pending.split("\n");
    this.pending = lines.pop() ?? "";
    if (Buffer.byteLength(this.pending) > MAX_LINE_BYTES) return null;
    if (lines.some((line) => Buffer.byteLength(line) > MAX_LINE_BYTES)) return null;
    return lines.filter((line) => line.trim().length > 0);
  }
}
