import type { Unsubscribe } from "./ports.js";

/**
 * The listeners of one adapter event. A listener that throws is reported to `onListenerError`
 * and the others still run: one faulty subscriber must not stop a door from hearing its reader.
 */
export class ListenerSet<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  add(listener: (...args: Args) => void): Unsubscribe {
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry = (...args: Args) => listener(...args);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(...args: Args): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
