import type { DeviceEvent } from "./deviceWire.js";

const READER_STATES = new Set(["connected", "disconnected", "error"]);
const DEVICE_KINDS = new Set(["reader", "input", "lock"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks one line from firmware-sim's device server. Anything malformed is refused with a
 * reason; the adapter logs it and carries on (bad input never crashes the gateway).
 */
export function parseDeviceEvent(line: string): DeviceEvent | { invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { invalid: "not JSON" };
  }
  if (!isRecord(value)) return { invalid: "not a JSON object" };
  const { event, device } = value;
  if (event === "error") {
    if (typeof value.message !== "string") return { invalid: "error without a message" };
    return typeof device === "string"
      ? { event, device, message: value.message }
      : { event, message: value.message };
  }
  if (typeof device !== "string") return { invalid: "missing device" };
  switch (event) {
    case "attached":
      if (typeof value.kind !== "string" || !DEVICE_KINDS.has(value.kind)) break;
      return { event, device, kind: value.kind as "reader" | "input" | "lock" };
    case "badge":
      if (typeof value.uid !== "string" || !/^([0-9a-f]{2}){1,32}$/i.test(value.uid)) break;
      if (typeof value.at !== "number") break;
      return { event, device, uid: value.uid, at: value.at };
    case "reader-status": {
      const { state, error } = value;
      if (typeof state !== "string" || !READER_STATES.has(state)) break;
      const readerState = state as "connected" | "disconnected" | "error";
      return typeof error === "string"
        ? { event, device, state: readerState, error }
        : { event, device, state: readerState };
    }
    case "input":
      if (typeof value.active !== "boolean" || typeof value.at !== "number") break;
      return { event, device, active: value.active, at: value.at };
    case "lock":
      if (typeof value.unlocked !== "boolean" && value.unlocked !== null) break;
      return { event, device, unlocked: value.unlocked };
    default:
      return { invalid: `unknown event ${JSON.stringify(event)}` };
  }
  return { invalid: `malformed ${String(event)} event` };
}
