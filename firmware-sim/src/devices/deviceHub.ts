import type { DeviceEvent, DeviceKind, DeviceSession, SimDeviceSource } from "./deviceWire.js";
import {
  type SimulatedBinaryInput,
  SimulatedDoorContact,
  SimulatedExitButton,
} from "./simulatedBinaryInput.js";
import { SimulatedLock } from "./simulatedLock.js";
import { SimulatedReader } from "./simulatedReader.js";

export type SimulatedDevice = SimulatedReader | SimulatedBinaryInput | SimulatedLock;

export type { DeviceSession };

export interface SimulatedDoor {
  contact: SimulatedDoorContact;
  exitButton: SimulatedExitButton;
  lock: SimulatedLock;
}

function kindOf(device: SimulatedDevice): DeviceKind {
  if (device instanceof SimulatedReader) return "reader";
  if (device instanceof SimulatedLock) return "lock";
  return "input";
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/**
 * The simulated devices of one centre, by id. Clients attach to a device and get its current
 * state, then its events; the device server does the same over a socket.
 */
export class DeviceHub implements SimDeviceSource {
  private readonly devices = new Map<string, SimulatedDevice>();

  constructor(private readonly clock: () => number = Date.now) {}

  add<T extends SimulatedDevice>(device: T): T {
    if (this.devices.has(device.id)) throw new Error(`device ${device.id} already exists`);
    this.devices.set(device.id, device);
    return device;
  }

  get(id: string): SimulatedDevice | undefined {
    return this.devices.get(id);
  }

  ids(): string[] {
    return [...this.devices.keys()];
  }

  addReader(id: string): SimulatedReader {
    return this.add(new SimulatedReader(id, this.clock));
  }

  /** A door's three devices: `<id>:contact`, `<id>:exit-button`, `<id>:lock`. */
  addDoor(id: string): SimulatedDoor {
    return {
      contact: this.add(new SimulatedDoorContact(`${id}:contact`, false, this.clock)),
      exitButton: this.add(new SimulatedExitButton(`${id}:exit-button`, false, this.clock)),
      lock: this.add(new SimulatedLock(`${id}:lock`, this.clock)),
    };
  }

  /** Throws for an unknown device id. */
  attach(id: string, listener: (event: DeviceEvent) => void): DeviceSession {
    const device = this.devices.get(id);
    if (device === undefined) throw new Error(`unknown device ${JSON.stringify(id)}`);
    const kind = kindOf(device);
    listener({ event: "attached", device: id, kind });
    const detach = subscribe(device, listener);
    return {
      device: id,
      kind,
      send(command) {
        if (command.op !== "set-lock") return `${command.op} is not a device command`;
        if (command.device !== id) return `this session is attached to ${id}`;
        if (!(device instanceof SimulatedLock)) return `${id} is not a lock`;
        device.apply(command.unlocked);
        return undefined;
      },
      detach,
    };
  }
}

/** Sends the device's current state, then forwards its events, until the returned detach. */
function subscribe(device: SimulatedDevice, listener: (event: DeviceEvent) => void): () => void {
  const id = device.id;
  if (device instanceof SimulatedReader) {
    const status = (): DeviceEvent =>
      device.error === undefined
        ? { event: "reader-status", device: id, state: device.state }
        : { event: "reader-status", device: id, state: device.state, error: device.error };
    listener(status());
    const onBadge = (uid: Uint8Array, at: number) =>
      listener({ event: "badge", device: id, uid: hex(uid), at });
    const onStatus = () => listener(status());
    device.on("badge", onBadge);
    device.on("status", onStatus);
    return () => {
      device.off("badge", onBadge);
      device.off("status", onStatus);
    };
  }
  if (device instanceof SimulatedLock) {
    listener({ event: "lock", device: id, unlocked: device.unlocked });
    const onCommand = () => listener({ event: "lock", device: id, unlocked: device.unlocked });
    device.on("command", onCommand);
    return () => device.off("command", onCommand);
  }
  listener({ event: "input", device: id, active: device.active, at: device.since });
  const onChange = (active: boolean, at: number) =>
    listener({ event: "input", device: id, active, at });
  device.on("change", onChange);
  return () => device.off("change", onChange);
}
