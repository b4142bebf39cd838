import { type CounterCheck, checkReadCounter } from "@passerelle/protocol";

/**
 * The highest SUN read counter seen per card, keyed by credential hash (never a raw UID).
 * In memory; the gateway saves it with its state (secureCardSetup.ts). The highest counters the
 * cloud sends in the bundle are a second floor (`accept`'s `networkFloor`), so a SUN replayed
 * here after it was used at another centre is refused.
 */
export class ReadCounterTable {
  readonly #highest = new Map<string, number>();
  readonly #onFresh: (() => void) | undefined;

  /** `onFresh` runs after each accepted counter (the gateway schedules a save there). */
  constructor(onFresh?: () => void) {
    this.#onFresh = onFresh;
  }

  /**
   * Records `readCounter` when fresh; a replay leaves the table unchanged. `networkFloor` is the
   * highest counter the cloud knew of (the bundle's): fresh means above both.
   */
  accept(card: string, readCounter: number, networkFloor?: number): CounterCheck {
    const local = this.#highest.get(card);
    const floor =
      networkFloor === undefined || (local !== undefined && local >= networkFloor)
        ? local
        : networkFloor;
    const check = checkReadCounter(floor, readCounter);
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
