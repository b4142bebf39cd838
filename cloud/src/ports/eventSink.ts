import type { BundleRequest, GatewayEvent } from "@passerelle/protocol";
import type { GatewayIdentity } from "./gatewayCredentials.js";

/** Which gateways exist and their centre (the store's gateways table). */
export interface GatewayRegistry {
  /** Null for an unknown or disabled gateway. */
  lookup(gatewayId: string): Promise<GatewayIdentity | null>;
}

/** The events of one `events` message, already validated and checked to be the gateway's own. */
export interface GatewayEventBatch {
  readonly gatewayId: string;
  readonly centreId: string;
  readonly events: readonly GatewayEvent[];
}

export interface CommittedEvents extends GatewayEventBatch {
  /** How many of `events` were new; the others had been stored by an earlier delivery. */
  readonly inserted: number;
}

export interface StoredUpTo {
  readonly gatewayId: string;
  /** Highest seq among this gateway's given events; all of them are committed. */
  readonly upToSeq: number;
  /** How many were new (the rest were already stored: a re-sent batch). */
  readonly inserted: number;
}

/**
 * Where events are kept for good (the store's access_events table).
 *
 * Contract, which every implementation must keep:
 * - every batch given in one call is written in ONE transaction, and the promise resolves only
 *   after that transaction committed (durably: SQLite WAL with synchronous=FULL or NORMAL+WAL
 *   checkpoints, PostgreSQL commit);
 * - idempotent on (gateway, seq): an event already stored is skipped, not an error, not updated;
 * - the result has one entry per gateway present in the input.
 */
export interface EventSink {
  storeBatch(batches: readonly GatewayEventBatch[]): Promise<readonly StoredUpTo[]>;
}

/** The bundle publisher's answer to `bundle/request` (bundles/bundlePublisher.ts). */
export interface BundleRequestHandler {
  onBundleRequest(identity: GatewayIdentity, request: BundleRequest): void | Promise<void>;
}
