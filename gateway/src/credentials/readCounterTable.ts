import { type CounterCheck, checkReadCounter } from "@passerelle/protocol";

/**
 * The highest SUN read counter seen per card, keyed by credential hash (never a raw UID).
 * In memory; the gateway saves it with its state (sunCounterFile.ts) and raises it from the
 * highest counters the cloud sends, so a SUN replayed here after it was used elsewhere is refused.
 */
export class ReadCounterTable {
  readonly #highest = new Map<string, number>();
  readonly #onFresh: (() => void) | undefined;

  /** `onFresh` runs after each accepted counter (the gateway schedules a save there). */
  constructor(onFresh?: () => void) {
    this.#onFresh = onFresh;
  }

  /** Records `readCounter` when fresh; a replay leaves the table unchanged. */
  accept(card: string, readCounter: number): CounterCheck {
    const check = checkReadCounter(this.#highest.get(card), readCounter);
    if (check.fresh) {
      this.#highest.set(card, readCounter);
      this.#onFresh?.();
    }
    return check;
  }

  /** Raises the floor from another source; never lowers it. */
  raise(card: string, readCounter: number): void {
    const current = this.#highest.get(card);
    if (current === undefined || readCounter > current) this.#highest.set(card, readCounter);
  }

  highest(card: string): number | undefined {
    return this.#highest.get(card);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#highest);
  }
}
