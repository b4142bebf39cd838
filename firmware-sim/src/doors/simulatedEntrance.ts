import type { DeviceHub, SimulatedDoor } from "../devices/deviceHub.js";
import type { SimulatedReader } from "../devices/simulatedReader.js";

/** Device ids of one centre's entrance on the shared hub: `<centre>:reader-1`, `<centre>:door-1:…`. */
export function entranceDeviceIds(centre: string) {
  return {
    reader: `${centre}:reader-1`,
    contact: `${centre}:door-1:contact`,
    exitButton: `${centre}:door-1:exit-button`,
    lock: `${centre}:door-1:lock`,
  };
}

/**
 * A centre's entrance: one badge reader outside, a door with its contact, exit button and lock
 * relay. The gateway's "sim" adapters attach to these devices by id over the device server.
 */
export interface SimulatedEntrance {
  readonly centre: string;
  readonly reader: SimulatedReader;
  readonly door: SimulatedDoor;
}

export function addEntrance(hub: DeviceHub, centre: string): SimulatedEntrance {
  const ids = entranceDeviceIds(centre);
  return { centre, reader: hub.addReader(ids.reader), door: hub.addDoor(`${centre}:door-1`) };
}

/** The gateway's `hardware` section for an entrance served by the device server at `endpoint`. */
export function entranceHardwareConfig(
  centre: string,
  doorId: string,
  endpoint: string,
  /** Another reader (the `pcsc` adapter behind a real pcscd); the simulated one by default. */
  reader?: Record<string, unknown>,
) {
  const ids = entranceDeviceIds(centre);
  return {
    simEndpoint: endpoint,
    reader: reader ?? { adapter: "sim", id: "reader-1", device: ids.reader },
    doors: [
      {
        id: doorId,
        contact: { adapter: "sim", device: ids.contact },
        exitButton: { adapter: "sim", device: ids.exitButton },
        lock: { adapter: "sim", device: ids.lock },
      },
    ],
  };
}
