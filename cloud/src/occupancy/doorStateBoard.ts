import { EventEmitter } from "node:events";
import type { GatewayEvent } from "@passerelle/protocol";
import type { DoorLock, DoorState, GatewayState } from "../ports/liveState.js";

export type { DoorAlarm, DoorContact, DoorLock, DoorState } from "../ports/liveState.js";

interface DoorEvents {
  change: [DoorState];
}

/** The door facts an event kind states; other kinds say nothing about a door. */
const factsOf: Partial<
  Record<GatewayEvent["type"], Partial<Pick<DoorState, "lock" | "contact" | "alarm">>>
> = {
  "door.unlocked": { lock: "unlocked" },
  "door.locked": { lock: "locked" },
  "door.opened": { contact: "open" },
  "door.closed": { contact: "closed" },
  "door.held-open": { alarm: "held-open", contact: "open" },
  "door.forced-open": { alarm: "forced-open", contact: "open" },
  "door.alarm-cleared": { alarm: null },
};

/**
 * Lock, contact and alarm of every door, in memory, from two sources (the bus events
 * gateway.statusChanged and events.committed, wired in cloudMqtt.ts): the gateways' retained
 * status (a full list of their doors, coalesced, at least once a minute) and the committed
 * `door.*` events (each transition, as it happened). Both carry the gateway's
 * time; a fact older than what a door already shows is ignored, so a batch of old events
 * replayed from an outbox after an outage cannot turn back a newer status.
 */
export class DoorStateBoard extends EventEmitter<DoorEvents> {
  private readonly doors = new Map<string, DoorState>();

  constructor() {
    super();
    // One listener per open SSE stream.
    this.setMaxListeners(0);
  }

  /** A gateway status: an online one lists its doors; an offline one marks them not reporting. */
  recordStatus(state: GatewayState): void {
    if (!state.online || state.lastOnline === null) {
      for (const door of this.doors.values()) {
        if (door.gatewayId === state.gatewayId && door.reporting) {
          this.set({ ...door, reporting: false });
        }
      }
      return;
    }
    const status = state.lastOnline;
    for (const door of status.doors) {
      this.apply(state.gatewayId, state.centreId, door.id, status.time, {
        lock: door.lock,
        contact: door.contact,
        alarm: door.alarm,
      });
    }
  }

  /** Committed events of one gateway; only `door.*` events with a door move the board. */
  recordEvents(batch: {
    readonly gatewayId: string;
    readonly centreId: string;
    readonly events: readonly GatewayEvent[];
  }): void {
    for (const event of batch.events) {
      const facts = factsOf[event.type];
      if (facts === undefined || event.door === undefined) continue;
      this.apply(batch.gatewayId, batch.centreId, event.door, event.time, facts);
    }
  }

  /** The doors of a centre, by door id. */
  centre(centreId: string): DoorState[] {
    return [...this.doors.values()]
      .filter((door) => door.centreId === centreId)
      .sort((a, b) => a.doorId.localeCompare(b.doorId));
  }

  private apply(
    gatewayId: string,
    centreId: string,
    doorId: string,
    time: string,
    facts: Partial<Pick<DoorState, "lock" | "contact" | "alarm">>,
  ): void {
    const key = `${centreId}/${doorId}`;
    const current = this.doors.get(key);
    if (current && Date.parse(current.time) > Date.parse(time)) return;
    const next: DoorState = {
      doorId,
      centreId,
      gatewayId,
      lock: facts.lock !== undefined ? facts.lock : (current?.lock ?? null),
      contact: facts.contact ?? current?.contact ?? "unknown",
      alarm: facts.alarm !== undefined ? facts.alarm : (current?.alarm ?? null),
      time,
      reporting: true,
    };
    if (
      current &&
      current.lock === next.lock &&
      current.contact === next.contact &&
      current.alarm === next.alarm &&
      current.reporting &&
      current.gatewayId === gatewayId
    ) {
      // Same facts (a periodic status): keep the time moving, tell nobody.
      this.doors.set(key, next);
      return;
    }
    this.set(next);
  }

  private set(door: DoorState): void {
    this.doors.set(`${door.centreId}/${door.doorId}`, door);
    this.emit("change", door);
  }
}

/** What the console shows in one word: an open door is "open" whatever its lock says. */
export function doorStateWord(
  door: Pick<DoorState, "lock" | "contact">,
): DoorLock | "open" | "unknown" {
  if (door.contact === "open") return "open";
  return door.lock ?? "unknown";
}
