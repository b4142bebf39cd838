import type { DeviceHub, SimulatedDoor } from "../devices/deviceHub.js";
import type { SimulatedReader } from "../devices/simulatedReader.js";
import type { ExitKind } from "./exitKind.js";

/**
 * Device ids of one centre's entrance on the shared hub: `<centre>:reader-1` (outside),
 * `<centre>:reader-2` (inside, the exit reader), `<centre>:door-1:…`.
 */
export function entranceDeviceIds(centre: string) {
  return {
    reader: `${centre}:reader-1`,
    exitReader: `${centre}:reader-2`,
    contact: `${centre}:door-1:contact`,
    exitButton: `${centre}:door-1:exit-button`,
    lock: `${centre}:door-1:lock`,
  };
}

/**
 * A centre's entrance: one badge reader outside, a door with its contact, exit button and lock
 * relay, and, where people badge to leave, a reader inside. How people leave is the door's
 * `exitKind`; the devices a kind does not use are there but not wired to the gateway. The
 * gateway's "sim" adapters attach to these devices by id over the device server.
 */
export interface SimulatedEntrance {
  readonly centre: string;
  readonly exitKind: ExitKind;
  readonly reader: SimulatedReader;
  /** The reader inside, for an `exit-reader` door. */
  readonly exitReader?: SimulatedReader;
  readonly door: SimulatedDoor;
}

export function addEntrance(
  hub: DeviceHub,
  centre: string,
  exitKind: ExitKind = "exit-button",
): SimulatedEntrance {
  const ids = entranceDeviceIds(centre);
  return {
    centre,
    exitKind,
    reader: hub.addReader(ids.reader),
    ...(exitKind === "exit-reader" ? { exitReader: hub.addReader(ids.exitReader) } : {}),
    door: hub.addDoor(`${centre}:door-1`),
  };
}

/**
 * The gateway's `hardware` section for an entrance served by the device server at `endpoint`:
 * a `free-egress` door has no exit button (a lever handle); an `exit-reader` door has its
 * reader inside (`reader-2`) and keeps its button (the way out when the reader or the gateway
 * fails, or the badge is refused).
 */
export function entranceHardwareConfig(
  centre: string,
  doorId: string,
  endpoint: string,
  options: {
    /** Another reader (the `pcsc` adapter behind a real pcscd); the simulated one by default. */
    reader?: Record<string, unknown>;
    exitKind?: ExitKind;
  } = {},
) {
  const ids = entranceDeviceIds(centre);
  const exitKind = options.exitKind ?? "exit-button";
  return {
    simEndpoint: endpoint,
    reader: options.reader ?? { adapter: "sim", id: "reader-1", device: ids.reader },
    doors: [
      {
        id: doorId,
        contact: { adapter: "sim", device: ids.contact },
        ...(exitKind === "free-egress"
          ? {}
          : { exitButton: { adapter: "sim", device: ids.exitButton } }),
        ...(exitKind === "exit-reader"
          ? { exitReader: { adapter: "sim", id: "reader-2", device: ids.exitReader } }
          : {}),
        lock: { adapter: "sim", device: ids.lock },
      },
    ],
  };
}
