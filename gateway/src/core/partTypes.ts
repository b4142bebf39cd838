import type { GatewayEvent, OnlineStatus } from "@passerelle/protocol";

/**
 * The shapes the gateway's parts share, at the bottom so that the door controller, the outbox,
 * the occupancy reporter and the uplink can implement or use them without importing the app.
 */

/** An event as a part reports it; the event journal stamps id and time, the outbox the seq. */
export type PartEvent = Omit<GatewayEvent, "seq" | "id" | "time" | "centre"> & { time?: string };

/** One door: its state machine wired to its contact, exit button and lock. */
export interface DoorUnit {
  readonly id: string;
  /** Access granted: pulse the lock now (synchronously commands the relay). */
  grant(): void;
  remoteUnlock(durationMs: number): void;
  /** Held-open time from the bundle (undefined: back to the configured default). */
  setHeldOpenMs(ms: number | undefined): void;
  status(): OnlineStatus["doors"][number];
  start(): Promise<void>;
  /** Applies the lock mode (fail-safe / fail-secure) before the hardware stops. */
  stop(): Promise<void>;
}

/** What the uplink needs from the durable outbox. */
export interface UnackedEvents {
  /**
   * The oldest events not yet acknowledged by the cloud, in seq order, each matching the
   * protocol's schema (the outbox sets aside the ones that do not: see EventOutbox).
   */
  nextBatch(max: number): GatewayEvent[];
  /** Deletes every event with seq ≤ upToSeq: they are committed in the cloud. */
  ack(upToSeq: number): void;
}

/** The durable outbox as the app uses it. */
export interface Outbox extends UnackedEvents {
  append(event: Omit<GatewayEvent, "seq">): GatewayEvent;
  status(): OnlineStatus["outbox"];
  close(): void;
}

/** Live presence from access events, publishing occupancy samples. */
export interface OccupancyFeed {
  record(event: GatewayEvent): void;
  start(): void;
  stop(): void;
}
