/**
 * The gateway's hardware ports. The access engine and the door state machine only ever see these
 * interfaces; adapters (pcsc, gpio, serial-relay, sim) live in one folder each and are loaded
 * lazily, so a Pi without a reader library still starts and says what is missing.
 */

import type { BadgePresentation, ReaderStatus } from "../core/readerReadings.js";

/** Unsubscribes a listener. */
export type Unsubscribe = () => void;

export type { BadgePresentation, ReaderState, ReaderStatus } from "../core/readerReadings.js";

export interface BadgeReader {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): ReaderStatus;
  onBadge(listener: (presentation: BadgePresentation) => void): Unsubscribe;
  onStatus(listener: (status: ReaderStatus) => void): Unsubscribe;
  /** Shows the decision on the reader (LED, beeper) when it has them (OSDP readers). */
  signal?(outcome: "grant" | "deny"): void;
}

/**
 * A binary input: a door contact (active = door open) or an exit button (active = pressed).
 * Debounce and active-low inversion are the adapter's job: listeners see clean logical levels.
 */
export interface DoorInput {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Current logical level, or null while unknown (not started, line unreadable). */
  read(): boolean | null;
  onChange(listener: (active: boolean, at: number) => void): Unsubscribe;
}

/** A lock relay. `unlocked = true` releases the lock. */
export interface LockOutput {
  readonly id: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Commands the relay. Must issue the command synchronously (write to the line or the serial
   * port) before returning its promise, so the badge-to-relay path never waits on I/O completion.
   */
  set(unlocked: boolean): Promise<void>;
  /** The last commanded state, or null before the first command. */
  state(): boolean | null;
}

/** Raised when an adapter cannot load or talk to its hardware. */
export class HardwareError extends Error {
  override readonly name = "HardwareError";
  constructor(
    readonly code: "module-missing" | "device-unavailable" | "io-failed" | "config-invalid",
    message: string,
  ) {
    super(message);
  }
}
