/**
 * Runs a simulated centre for a gateway started with `"hardware": { "adapter": "sim" }`:
 * reader-1 and door-1 (contact, exit button, lock), served on firmware-sim's device server,
 * driven by commands typed on stdin (`help` lists them).
 *
 *   npx tsx --conditions=source firmware-sim/scripts/serveDevices.ts [endpoint]
 *
 * endpoint: tcp://127.0.0.1:7399 (default) or unix:/path/to.sock
 */
import { createInterface } from "node:readline";
import { runConsoleCommand } from "../src/devices/consoleCommands.js";
import { DeviceHub } from "../src/devices/deviceHub.js";
import { type DeviceServerAddress, startDeviceServer } from "../src/devices/deviceServer.js";

function address(endpoint: string): DeviceServerAddress {
  if (endpoint.startsWith("unix:")) return { path: endpoint.slice(5) };
  const url = new URL(endpoint);
  return { host: url.hostname, port: Number(url.port) };
}

const hub = new DeviceHub();
hub.addReader("reader-1");
const door = hub.addDoor("door-1");
door.lock.on("command", ({ unlocked }) =>
  console.log(`door-1:lock ${unlocked ? "UNLOCKED" : "locked"}`),
);

const server = await startDeviceServer(hub, address(process.argv[2] ?? "tcp://127.0.0.1:7399"));
console.log(`devices served on ${server.endpoint}; type help`);
const input = createInterface({ input: process.stdin });
input.on("line", (line) => {
  try {
    console.log(runConsoleCommand(hub, line));
  } catch (error) {
    console.log(`? ${(error as Error).message}`);
  }
});
input.on("close", () => void server.close());
