import type { OccupancySample, TrustedKeys } from "@passerelle/protocol";
import type { BundleStore } from "../bundleStore/bundleStore.js";
import type { ClockGuard } from "../clockGuard/clockGuard.js";
import type { GatewayConfig } from "../config/configSchema.js";
import type { GatewayBus } from "../core/busEvents.js";
import type { Logger } from "../core/logger.js";
import type { DoorUnit, OccupancyFeed, Outbox, PartEvent } from "../core/partTypes.js";
import type { SecureCards } from "../credentials/secureCardSetup.js";
import type { AccessIndex } from "../decision/accessIndex.js";
import type { Hardware } from "../hardware/createHardware.js";
import type { MqttLink } from "../mqtt/mqttLink.js";

/** What the app is assembled from; tests and the simulator may give their own. */
export interface GatewayParts {
  hardware: Hardware;
  doors: DoorUnit[];
  outbox: Outbox;
  occupancy?: OccupancyFeed;
  /** SUN verification keys and read counters; absent: every card is a bare UID. */
  secureCards?: SecureCards;
}

/** What the app gives the parts factory: a way to report, and read-only views of its state. */
export interface PartsContext {
  record(event: PartEvent): void;
  /** The bundle index in force (null before the first bundle). */
  currentIndex(): AccessIndex | null;
  /** Publishes an occupancy sample (QoS 1); rejects while offline. */
  publishOccupancy(sample: OccupancySample): Promise<void>;
}

/**
 * The gateway's services, all built before the first feature starts (so no feature ever finds
 * another one missing): their callbacks only emit on the bus. Features own their lifecycle and
 * their wiring; they read and drive these, never each other.
 */
export interface GatewayPorts extends GatewayParts {
  link: MqttLink;
  bundles: BundleStore;
  clock: ClockGuard;
  trustedKeys: TrustedKeys;
}

/** The one object every feature is given. */
export interface FeatureDeps {
  bus: GatewayBus;
  logger: Logger;
  config: GatewayConfig;
  now: () => number;
  ports: GatewayPorts;
}
