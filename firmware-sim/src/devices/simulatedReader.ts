import { EventEmitter } from "node:events";

export type SimulatedReaderState = "connected" | "disconnected" | "error";

interface SimulatedReaderEvents {
  badge: [uid: Uint8Array, at: number];
  status: [state: SimulatedReaderState, error: string | undefined];
}

/**
 * A badge reader in software. `present` puts a card on it (one read, like a real reader: a card
 * left on the reader is not read again), `remove` takes it off, and the reader itself can be
 * unplugged or fail, to test how the gateway reports it.
 */
export class SimulatedReader extends EventEmitter<SimulatedReaderEvents> {
  private currentState: SimulatedReaderState = "connected";
  private currentError: string | undefined;
  private card: Uint8Array | undefined;

  constructor(
    readonly id: string,
    private readonly clock: () => number = Date.now,
  ) {
    super();
  }

  get state(): SimulatedReaderState {
    return this.currentState;
  }

  get error(): string | undefined {
    return this.currentError;
  }

  hasCard(): boolean {
    return this.card !== undefined;
  }

  /**
   * Puts a card on the reader and reads it once. A card already there is taken off first.
   * Returns false when the reader is not connected, so nothing was read.
   */
  present(uid: Uint8Array): boolean {
    this.remove();
    if (this.currentState !== "connected") return false;
    this.card = Uint8Array.from(uid);
    this.emit("badge", Uint8Array.from(uid), this.clock());
    return true;
  }

  remove(): void {
    this.card = undefined;
  }

  /** Presents a card and takes it away: what most people do with a badge. */
  tap(uid: Uint8Array): boolean {
    const read = this.present(uid);
    this.remove();
    return read;
  }

  /** Plugs the reader in or out, or makes it fail with a reason. */
  setState(state: SimulatedReaderState, error?: string): void {
    const nextError = state === "error" ? (error ?? "simulated reader fault") : undefined;
    if (state === this.currentState && nextError === this.currentError) return;
    this.currentState = state;
    this.currentError = nextError;
    if (state !== "connected") this.card = undefined;
    this.emit("status", state, nextError);
  }
}
