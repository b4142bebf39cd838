import type { BundleRequest, GatewayEvent } from "@passerelle/protocol";
import { EventBus } from "./eventBus.js";
import type { Logger } from "./logger.js";
import type { PartEvent } from "./partTypes.js";
import type { BadgePresentation, ReaderStatus } from "./readerReadings.js";

/**
 * Every event of the gateway's bus, with its payload: the one place to read what the features
 * say to each other. Features never call each other; they emit these and listen to them (the
 * feature list, features/featureList.ts, says who listens to what).
 */
export interface GatewayBusEvents {
  /** Something the cloud must hear of happened; the event journal makes it durable. */
  "event.occurred": { event: PartEvent };
  /** An event is in the durable outbox, with its id and seq. */
  "event.recorded": { event: GatewayEvent };

  /**
   * A card was put on a reader. Carries the raw UID: hash it at once, never log it. `exitDoor`
   * names the door whose inside (exit) reader read it: the holder is leaving through that door.
   */
  "badge.read": { presentation: BadgePresentation; exitDoor?: string };
  /** The reader connected, disconnected or failed. */
  "reader.statusChanged": { status: ReaderStatus };
  /** The access decision granted entry at this door: pulse its lock now, synchronously. */
  "access.granted": { door: string };
  /** A badge was decided (after the relay and the event): the reader shows it (LED, beeper). */
  "access.decided": { readerId: string; outcome: "grant" | "deny" };

  /** A full bundle frame arrived from the cloud (not yet verified). */
  "bundle.received": { frame: Buffer };
  /** A bundle delta frame arrived from the cloud (not yet verified). */
  "bundleDelta.received": { frame: Buffer };
  /** A new access bundle is in force. */
  "bundle.applied": {
    version: number;
    issuedAt: number;
    /** Per-door held-open times the bundle sets (absent for a door: the gateway's default). */
    heldOpenMs?: ReadonlyMap<string, number>;
  };
  /** A bundle or delta was refused; the one in force stays. */
  "bundle.rejected": { code: string };
  /** The gateway needs a full bundle (start, gap, expiry, refusal, resync command). */
  "bundle.requested": { reason: BundleRequest["reason"] };

  /** The local clock became trusted or untrusted. */
  "clock.trustChanged": { trusted: boolean; at: number };

  /** A command frame arrived from the cloud (not yet verified). */
  "command.received": { frame: Buffer };
  /** A verified command asks to unlock a door (the first one when `door` is absent). */
  "command.unlock": { door: string | undefined; durationMs: number | undefined; by: string };

  /** The cloud acknowledged every event up to this seq. */
  "ack.received": { upToSeq: number };
  /** The MQTT link to the cloud came up / went down. */
  "link.up": Record<string, never>;
  "link.down": Record<string, never>;
}

export type GatewayEventName = keyof GatewayBusEvents;

export type GatewayBus = EventBus<GatewayBusEvents>;

export function createGatewayBus(logger: Logger): GatewayBus {
  return new EventBus<GatewayBusEvents>(logger);
}
