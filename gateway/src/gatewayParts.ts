import type { GatewayEvent, OccupancySample, OnlineStatus } from "@passerelle/protocol";
import type { AccessIndex } from "./decision/accessIndex.js";
import type { Hardware } from "./hardware/createHardware.js";
import type { UnackedEvents } from "./mqtt/eventUplink.js";

/** An event as a part reports it; the app stamps id and time and the outbox gives the seq. */
export type PartEvent = Omit<GatewayEvent, "seq" | "id" | "time" | "centre"> & { time?: string };

/** One door: its state machine wired to its contact, exit button and lock. */
export interface DoorUnit {
  readonly id: string;
  /** Access granted: pulse the lock now (synchronously commands the relay). */
  grant(): void;
  remoteUnlock(durationMs: number): void;
  status(): OnlineStatus["doors"][number];
  start(): Promise<void>;
  /** Applies the lock mode (fail-safe / fail-secure) before the hardware stops. */
  stop(): Promise<void>;
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

/** What the app is assembled from; tests and the simulator may give their own. */
export interface GatewayParts {
  hardware: Hardware;
  doors: DoorUnit[];
  outbox: Outbox;
  occupancy?: OccupancyFeed;
}

/** What the app gives the parts factory: a way to report, and read-only views of its state. */
export interface PartsContext {
  record(event: PartEvent): void;
  /** The bundle index in force (null before the first bundle). */
  currentIndex(): AccessIndex | null;
  /** Publishes an occupancy sample (QoS 1); rejects while offline. */
  publishOccupancy(sample: OccupancySample): Promise<void>;
}
