import type { Logger } from "pino";

/** Who subscribed: a feature, or anything with a name to log and to remove its listeners by. */
export interface ListenerOwner {
  readonly name: string;
}

/** A listener may be async; its result is otherwise ignored. */
type Listener<Payload> = (payload: Payload) => unknown;

interface Subscription {
  readonly owner: ListenerOwner;
  readonly listener: Listener<never>;
}

/**
 * A typed publish/subscribe bus for one process, in the style of zigbee2mqtt's lib/eventBus.ts:
 * every event name and its payload are declared once (the `Events` map, e.g. CloudEvents), a
 * listener is registered under an owner, and `removeListeners(owner)` drops all of an owner's
 * listeners at once, so a feature's stop() cannot leave one behind.
 *
 * `emit` calls the listeners synchronously, in subscription order, like Node's EventEmitter. A
 * listener that throws or rejects is logged with the event and its owner; the emitter and the
 * other listeners carry on (an after-commit notification must never undo or fail the commit).
 */
export class EventBus<Events extends object> {
  private readonly subscriptions = new Map<keyof Events, Subscription[]>();
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ module: "cloud:bus" });
  }

  on<Name extends keyof Events>(
    event: Name,
    owner: ListenerOwner,
    listener: Listener<Events[Name]>,
  ): void {
    const list = this.subscriptions.get(event) ?? [];
    list.push({ owner, listener: listener as Listener<never> });
    this.subscriptions.set(event, list);
  }

  emit<Name extends keyof Events>(event: Name, payload: Events[Name]): void {
    // A copy: a listener may subscribe or unsubscribe while this emit runs.
    for (const { owner, listener } of [...(this.subscriptions.get(event) ?? [])]) {
      try {
        const result = (listener as Listener<Events[Name]>)(payload);
        if (result instanceof Promise) {
          result.catch((error: unknown) => this.failed(event, owner, error));
        }
      } catch (error) {
        this.failed(event, owner, error);
      }
    }
  }

  /** Drops every listener `owner` registered, on every event. */
  removeListeners(owner: ListenerOwner): void {
    for (const [event, list] of this.subscriptions) {
      const kept = list.filter((subscription) => subscription.owner !== owner);
      if (kept.length === 0) this.subscriptions.delete(event);
      else this.subscriptions.set(event, kept);
    }
  }

  listenerCount(event: keyof Events): number {
    return this.subscriptions.get(event)?.length ?? 0;
  }

  private failed(event: keyof Events, owner: ListenerOwner, error: unknown): void {
    this.log.error(
      { err: error, event: String(event), owner: owner.name },
      "event listener failed",
    );
  }
}
