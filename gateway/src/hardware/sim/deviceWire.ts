/**
 * The simulated devices' wire format, defined here because the gateway is the side that must
 * understand it: newline-delimited JSON, one object per line, over a Unix socket or TCP
 * loopback, or the same objects handed over in process. firmware-sim's device hub and device
 * server implement it (they import these types: a simulator sits above the gateway, never
 * below), and the gateway's sim adapters are its clients.
 */

export type DeviceKind = "reader" | "input" | "lock";
export type WireReaderState = "connected" | "disconnected" | "error";

/** Server to client. UIDs travel as lowercase hex: this is a simulator, not a door. */
export type DeviceEvent =
  | { event: "attached"; device: string; kind: DeviceKind }
  | { event: "badge"; device: string; uid: string; at: number }
  | { event: "reader-status"; device: string; state: WireReaderState; error?: string }
  | { event: "input"; device: string; active: boolean; at: number }
  | { event: "lock"; device: string; unlocked: boolean | null }
  | { event: "error"; device?: string; message: string };

/** Client to server. */
export type DeviceCommand =
  | { op: "attach"; device: string }
  | { op: "set-lock"; device: string; unlocked: boolean };

/** A line longer than this is refused and the connection closed: no unbounded buffering. */
export const MAX_LINE_BYTES = 16 * 1024;

/** One client's view of one device: events in, lock commands out. */
export interface DeviceSession {
  readonly device: string;
  readonly kind: DeviceKind;
  /** Applies a command; returns a reason when it is refused. */
  send(command: DeviceCommand): string | undefined;
  detach(): void;
}

/**
 * Simulated devices reachable in this same process (firmware-sim's DeviceHub): attaching sends
 * the device's current state, then its events, until the session is detached. Throws for an
 * unknown device id.
 */
export interface SimDeviceSource {
  attach(id: string, listener: (event: DeviceEvent) => void): DeviceSession;
}
