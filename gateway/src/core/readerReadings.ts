/**
 * What a badge reader reports, defined at the bottom because both the hardware ports (which
 * produce it) and the event bus (which carries it to the access feature) need it.
 */

/** One card put on a reader. A card left on the reader is one presentation, not many. */
export interface BadgePresentation {
  readerId: string;
  /** The raw UID (4, 7 or 10 bytes for ISO 14443-A). Hash it at once; never log it. */
  uid: Uint8Array;
  /** Monotonic-enough wall time of the read, ms since the epoch. */
  at: number;
}

export type ReaderState = "connected" | "disconnected" | "error";

export interface ReaderStatus {
  readerId: string;
  state: ReaderState;
  /** Human-readable reason for `error` (never a UID). */
  error?: string;
}
