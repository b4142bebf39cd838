import { HardwareError } from "../ports.js";
import type { DeviceCommand, DeviceEvent, DeviceSession, SimDeviceSource } from "./deviceWire.js";

export type { DeviceCommand, DeviceEvent, SimDeviceSource };

export interface SimLinkHandlers {
  onEvent(event: DeviceEvent): void;
  /** The link came up (attached to the device) or went down, with a reason. */
  onLink(up: boolean, reason?: string): void;
}

/** One adapter's channel to one simulated device, in process or over a socket. */
export interface SimDeviceLink {
  readonly device: string;
  /** Resolves once the first attempt to attach is over, whatever its outcome. */
  open(handlers: SimLinkHandlers): Promise<void>;
  /** Issues a command synchronously; false when it could not be sent. */
  send(command: DeviceCommand): boolean;
  close(): Promise<void>;
}

/** A link to a device of a hub in this same process (tests, one-process demos). */
export function inProcessLink(hub: SimDeviceSource, device: string): SimDeviceLink {
  let session: DeviceSession | undefined;
  return {
    device,
    async open(handlers) {
      session?.detach();
      try {
        session = hub.attach(device, (event) => handlers.onEvent(event));
      } catch (error) {
        throw new HardwareError("config-invalid", `simulated device: ${(error as Error).message}`);
      }
      handlers.onLink(true);
    },
    send(command) {
      return session !== undefined && session.send(command) === undefined;
    },
    async close() {
      session?.detach();
      session = undefined;
    },
  };
}
