import type { DeviceCommand, DeviceEvent, DeviceHub } from "@passerelle/firmware-sim";
import { HardwareError } from "../ports.js";

// Type-only imports from firmware-sim: the wire format has one definition, and the gateway
// never needs firmware-sim installed to run (the socket link speaks the format itself).
export type { DeviceCommand, DeviceEvent };

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

/** The part of firmware-sim's DeviceHub an in-process link needs. */
export type SimDeviceSource = Pick<DeviceHub, "attach">;

/** A link to a device of a hub in this same process (tests, one-process demos). */
export function inProcessLink(hub: SimDeviceSource, device: string): SimDeviceLink {
  let session: ReturnType<DeviceHub["attach"]> | undefined;
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
