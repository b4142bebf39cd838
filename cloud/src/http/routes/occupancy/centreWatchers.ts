import type { FastifyBaseLogger } from "fastify";
import type { CloudEventBus } from "../../../bus/cloudEvents.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import type { LiveBoards } from "../../cloudServices.js";
import { type CentreOccupancyView, centreOccupancy } from "./occupancyViews.js";

type Live = Pick<LiveBoards, "occupancy" | "doors" | "gatewayStatus">;
type Subscriber = (view: CentreOccupancyView, text: string) => void;

interface Watch {
  readonly subscribers: Set<Subscriber>;
  /** Joined since the last rebuild: they get the next snapshot even if it is not new. */
  readonly joined: Set<Subscriber>;
  last: string | undefined;
  running: boolean;
  again: boolean;
  stop(): void;
}

/**
 * The centre snapshots behind the SSE streams, shared by every stream of a centre: one rebuild
 * per change whatever the number of consoles watching (a rebuild reads the doors and replays
 * the last 12 h of the centre's access events). Rebuilt when its counts, a door or its committed
 * events change, and every `recheckMs` (presence also ends by the clock); subscribers hear only
 * snapshots that differ from the previous one. The bus is listened to while a centre has
 * subscribers, and no longer.
 */
export class CentreWatchers {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly live: Live,
    private readonly bus: CloudEventBus,
    private readonly recheckMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Calls `onView` with a snapshot built after this call, then on every new one; returns the
   * unsubscribe. Built after: a change committed while the caller was getting ready is in it.
   */
  subscribe(centreId: string, onView: Subscriber): () => void {
    const watch = this.watches.get(centreId) ?? this.watch(centreId);
    watch.subscribers.add(onView);
    watch.joined.add(onView);
    this.refresh(centreId, watch);
    return () => {
      watch.subscribers.delete(onView);
      watch.joined.delete(onView);
      if (watch.subscribers.size === 0) {
        watch.stop();
        this.watches.delete(centreId);
      }
    };
  }

  private watch(centreId: string): Watch {
    const { bus } = this;
    // The bus owner of this centre's listeners, removed together when its last subscriber goes.
    const owner = { name: `sse:centre:${centreId}` };
    const refresh = () => this.refresh(centreId, watch);
    const onCount = (c: { centre: string }) => c.centre === centreId && refresh();
    const onDoor = (d: { centreId: string }) => d.centreId === centreId && refresh();
    const onEvents = (b: { centreId: string; inserted: number }) =>
      b.centreId === centreId && b.inserted > 0 && refresh();
    bus.on("occupancy.changed", owner, onCount);
    bus.on("door.changed", owner, onDoor);
    // A gateway going offline (or back) makes its centre stale (or not).
    bus.on("gateway.statusChanged", owner, onDoor);
    bus.on("events.committed", owner, onEvents);
    bus.on("events.committedElsewhere", owner, onEvents);
    const timer = setInterval(refresh, this.recheckMs);
    const watch: Watch = {
      subscribers: new Set(),
      joined: new Set(),
      last: undefined,
      running: false,
      again: false,
      stop: () => {
        clearInterval(timer);
        bus.removeListeners(owner);
      },
    };
    this.watches.set(centreId, watch);
    return watch;
  }

  /** Rebuilds now, or once more right after the rebuild in progress: never two at once. */
  private refresh(centreId: string, watch: Watch): void {
    if (watch.running) {
      watch.again = true;
      return;
    }
    watch.running = true;
    void (async () => {
      try {
        do {
          watch.again = false;
          if (watch.subscribers.size === 0) return;
          const waiting = [...watch.joined];
          watch.joined.clear();
          const view = await centreOccupancy(this.deps, this.live, centreId);
          const text = JSON.stringify(view);
          const changed = text !== watch.last;
          watch.last = text;
          const told = changed ? [...watch.subscribers] : waiting;
          for (const subscriber of told)
            if (watch.subscribers.has(subscriber)) subscriber(view, text);
        } while (watch.again);
      } catch (error) {
        this.log.warn({ err: (error as Error).message, centreId }, "occupancy refresh failed");
      } finally {
        watch.running = false;
      }
    })();
  }
}
