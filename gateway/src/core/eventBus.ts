import type { Logger } from "./logger.js";

/** Who subscribed: a feature, named in the log when one of its listeners throws. */
export interface BusOwner {
  readonly name: string;
}

interface Subscription {
  owner: BusOwner;
  listener: (payload: never) => void;
}

/**
 * A typed, synchronous publish/subscribe bus for one process (in the manner of zigbee2mqtt's
 * lib/eventBus.ts). `Events` maps each event name to its payload type, so an emit with the
 * wrong payload or a listener expecting another one does not compile.
 *
 * Synchronous on purpose: `emit` returns after every listener ran, in subscription order, so
 * the badge path (decision, then relay, then the durable record) keeps its order and never
 * waits on a timer or a promise. A listener that throws is logged and skipped: one feature's
 * bug never stops the listeners after it, nor the door path that emitted.
 */
export class EventBus<Events extends object> {
  private readonly subscriptions = new Map<keyof Events, Subscription[]>();
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ module: "gateway:bus" });
  }

  on<K extends keyof Events>(
    event: K,
    owner: BusOwner,
    listener: (payload: Events[K]) => void,
  ): void {
    const list = this.subscriptions.get(event) ?? [];
    list.push({ owner, listener: listener as (payload: never) => void });
    this.subscriptions.set(event, list);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const list = this.subscriptions.get(event);
    if (list === undefined) return;
    // A copy: a listener that subscribes or unsubscribes does not change this delivery.
    for (const { owner, listener } of [...list]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error) {
        // The payload is never logged: a badge read carries a raw UID.
        this.log.error(
          { event: String(event), owner: owner.name, err: (error as Error).message },
          "bus listener failed",
        );
      }
    }
  }

  /** Removes every listener `owner` subscribed: what a feature's stop leaves behind. */
  removeListeners(owner: BusOwner): void {
    for (const [event, list] of this.subscriptions) {
      const kept = list.filter((subscription) => subscription.owner !== owner);
      if (kept.length === 0) this.subscriptions.delete(event);
      else this.subscriptions.set(event, kept);
    }
  }

  /** How many listeners an event has (for tests and the feature list's check). */
  listenerCount(event: keyof Events): number {
    return this.subscriptions.get(event)?.length ?? 0;
  }
}
