import type { GatewayPayloads } from "@passerelle/protocol";
import type { Logger } from "pino";
import type { GatewayStatusBoard } from "../../occupancy/gatewayStatusBoard.js";
import type { LiveOccupancy } from "../../occupancy/liveOccupancy.js";
import type { BundleRequestHandler, GatewayEventBatch } from "../../ports/eventSink.js";
import type { GatewayIdentity } from "../../ports/gatewayCredentials.js";

/** The four kinds a gateway sends; everything else on the bus is not ours to ingest. */
export const ingestedKinds = ["events", "status", "occupancy", "bundleRequest"] as const;
export type IngestedKind = (typeof ingestedKinds)[number];

/** What a handler may act on: the ingest's owners of each kind, and its way to refuse. */
export interface IngestContext {
  /** Group commit of events (acked after commit). */
  addEvents(batch: GatewayEventBatch): void;
  readonly occupancy: LiveOccupancy;
  readonly gateways: GatewayStatusBoard;
  readonly bundleRequests: BundleRequestHandler | undefined;
  readonly clock: { now(): number };
  readonly log: Logger;
  /** Counts and logs a dropped message; `cause` is a reason code or the error. */
  reject(kind: IngestedKind, topic: string, cause: unknown): void;
}

/**
 * One inbound message kind, from a known gateway, already decoded and schema-checked (aedes'
 * lib/handlers style: the dispatcher in gatewayIngest.ts only routes). Synchronous and never
 * throws on bad input: it refuses through `context.reject`.
 */
export type IngestHandler<Kind extends IngestedKind> = (
  context: IngestContext,
  identity: GatewayIdentity,
  message: GatewayPayloads[Kind],
  topic: string,
) => void;
