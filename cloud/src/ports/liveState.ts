import type { OnlineStatus } from "@passerelle/protocol";

/*
 * What the cloud knows live, in memory, about centres, gateways and doors: the payloads of the
 * event bus's occupancy.changed, gateway.statusChanged and door.changed (bus/cloudEvents.ts),
 * kept here at the bottom so the bus does not import the boards that fill them (occupancy/).
 */

export interface ZoneOccupancy {
  readonly zone: string;
  readonly inside: number;
}

/** What the console shows for one centre right now. */
export interface CentreOccupancy {
  readonly centre: string;
  /** The gateways' headcount: entries − exits, anonymous exits included. */
  readonly inside: number;
  /** Members the gateways know are inside (open sessions). */
  readonly attributed: number;
  readonly zones: readonly ZoneOccupancy[];
  /** The newest sample's time, as the gateway measured it. */
  readonly time: string;
  /** The gateways whose latest samples make up these counts. */
  readonly gateways: readonly string[];
}

/** One gateway as the console and the API show it. */
export interface GatewayState {
  readonly gatewayId: string;
  readonly centreId: string;
  readonly online: boolean;
  /** When the cloud received the latest status (UTC ISO). */
  readonly receivedAt: string;
  readonly software: string | null;
  readonly bundleVersion: number | null;
  readonly bundleValidUntil: string | null;
  /** Null while the gateway never said (offline since the cloud started). */
  readonly clockTrusted: boolean | null;
  readonly outboxDepth: number | null;
  readonly outboxFull: boolean | null;
  /** Events the gateway could not send (they failed their schema) and kept aside on its disk. */
  readonly outboxQuarantined: number | null;
  /** The last online status in full (readers, doors and their alarms). */
  readonly lastOnline: OnlineStatus | null;
}

export type DoorLock = "locked" | "unlocked";
export type DoorContact = "open" | "closed" | "unknown";
export type DoorAlarm = "held-open" | "forced-open";

/** One door as the console shows it. */
export interface DoorState {
  readonly doorId: string;
  readonly centreId: string;
  readonly gatewayId: string;
  /** Null until the gateway said (a door event or a status listing it). */
  readonly lock: DoorLock | null;
  readonly contact: DoorContact;
  readonly alarm: DoorAlarm | null;
  /** Gateway time of the latest fact applied (UTC ISO). */
  readonly time: string;
  /** False while its gateway is offline: the state is the last one it reported. */
  readonly reporting: boolean;
}
