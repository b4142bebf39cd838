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
  /**
   * The NDEF file of a Type 4 tag (NTAG 424 DNA carries its SUN message there), or why a card
   * that has one could not be read whole; absent for cards without one (plain UID cards).
   */
  ndefFile?:
    | { ok: true; file: Uint8Array }
    | { ok: false; failure: "truncated" | "oversized" | "io" };
  /** Keys typed on the reader's keypad just before the card (OSDP keypads). Never logged. */
  pin?: string;
}

export type ReaderState = "connected" | "disconnected" | "error";

export interface ReaderStatus {
  readerId: string;
  state: ReaderState;
  /** Human-readable reason for `error` (never a UID). */
  error?: string;
}
