import type { DeviceHub } from "./deviceHub.js";
import { SimulatedBinaryInput, SimulatedExitButton } from "./simulatedBinaryInput.js";
import { SimulatedLock } from "./simulatedLock.js";
import { SimulatedReader } from "./simulatedReader.js";

export const CONSOLE_HELP = [
  "tap <reader> <uid-hex>       present a card and take it away (4, 7 or 10 bytes)",
  "present <reader> <uid-hex>   put a card on the reader and leave it",
  "remove <reader>              take the card away",
  "reader <reader> connected|disconnected|error [reason]",
  "open <door> | close <door>   move the door contact",
  "press <door>                 push the exit button",
  "status                       every device and its state",
].join("\n");

const UID = /^([0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})$/i;

function device<T>(hub: DeviceHub, id: string | undefined, type: new (...args: never[]) => T): T {
  const found = id === undefined ? undefined : hub.get(id);
  if (!(found instanceof type)) throw new Error(`no ${type.name} named ${JSON.stringify(id)}`);
  return found;
}

function describeDevice(hub: DeviceHub, id: string): string {
  const found = hub.get(id);
  if (found instanceof SimulatedReader)
    return `${id}: reader ${found.state}${found.hasCard() ? ", card on" : ""}`;
  if (found instanceof SimulatedLock) {
    const state =
      found.unlocked === null ? "never commanded" : found.unlocked ? "UNLOCKED" : "locked";
    return `${id}: lock ${state}, ${found.unlockCount()} release(s)`;
  }
  if (found instanceof SimulatedBinaryInput)
    return `${id}: ${found.active ? "active" : "inactive"}`;
  return `${id}: ?`;
}

/**
 * One line typed at the simulator's console, applied to the hub. Returns what to print;
 * throws an Error whose message explains a bad command.
 */
export function runConsoleCommand(hub: DeviceHub, line: string): string {
  const [command, target, ...rest] = line.trim().split(/\s+/);
  switch (command) {
    case "tap":
    case "present": {
      const uid = rest[0] ?? "";
      if (!UID.test(uid)) throw new Error("the UID must be 4, 7 or 10 bytes of hex");
      const reader = device(hub, target, SimulatedReader);
      const bytes = Uint8Array.from(Buffer.from(uid, "hex"));
      const read = command === "tap" ? reader.tap(bytes) : reader.present(bytes);
      return read
        ? `${target}: read ${bytes.length}-byte card`
        : `${target}: reader is ${reader.state}, nothing read`;
    }
    case "remove":
      device(hub, target, SimulatedReader).remove();
      return `${target}: card removed`;
    case "reader": {
      const state = rest[0];
      if (state !== "connected" && state !== "disconnected" && state !== "error") {
        throw new Error("reader state must be connected, disconnected or error");
      }
      device(hub, target, SimulatedReader).setState(state, rest.slice(1).join(" ") || undefined);
      return describeDevice(hub, target as string);
    }
    case "open":
    case "close":
      device(hub, `${target}:contact`, SimulatedBinaryInput).set(command === "open");
      return describeDevice(hub, `${target}:contact`);
    case "press":
      device(hub, `${target}:exit-button`, SimulatedExitButton).push();
      return `${target}: exit button pushed`;
    case "status":
      return hub
        .ids()
        .map((id) => describeDevice(hub, id))
        .join("\n");
    case "help":
    case undefined:
    case "":
      return CONSOLE_HELP;
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}; try help`);
  }
}
