import { EventEmitter } from "node:events";
import {
  allGatewaysFilter,
  decodeMessage,
  defaultBaseTopic,
  encodeMessage,
  type GatewayPayloads,
  type MessageKind,
  messageKinds,
  ProtocolError,
  parseTopic,
  topicFor,
} from "@passerelle/protocol";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { MqttBus } from "../broker/mqttBus.js";
import type { GatewayStatusBoard } from "../occupancy/gatewayStatusBoard.js";
import type { LiveOccupancy } from "../occupancy/liveOccupancy.js";
import type {
  BundleRequestHandler,
  CommittedEvents,
  EventSink,
  GatewayEventBatch,
  GatewayRegistry,
  StoredUpTo,
} from "../ports/eventSink.js";
import type { GatewayIdentity } from "../ports/gatewayCredentials.js";
import { EventBatcher } from "./eventBatcher.js";
import { GatewayLookup } from "./gatewayLookup.js";
import {
  type IngestContext,
  type IngestedKind,
  ingestedKinds,
  ingestHandlers,
} from "./handlers/index.js";
import { type IngestMetrics, ingestMetrics } from "./ingestMetrics.js";
import { retainedUplinkFilter } from "./retainedUplink.js";

export type { CommittedEvents } from "../ports/eventSink.js";

/**
 * Kinds one cloud instance handles for all (docs/scale.md): each events batch is committed and
 * acked by one instance, each bundle request answered once. Statuses and occupancy samples go
 * to every instance: each one serves the live boards from its own memory.
 */
const sharedKinds: ReadonlySet<string> = new Set(["events", "bundleRequest"]);

export interface GatewayIngestConfig {
  baseTopic?: string;
  /**
   * Group commit: wait this long for more events before committing. Default 0: commit right
   * after the messages already read, and batch whatever arrives during a commit (measured
   * faster than any fixed wait, cloud/bench/ingest.bench.ts).
   */
  batchMaxDelayMs?: number;
  /** Group commit: commit at once from this many waiting events (default 2 000). */
  batchMaxEvents?: number;
  /** How long a gateway lookup is trusted (default 10 s). */
  identityCacheMs?: number;
}

export interface GatewayIngestDeps {
  bus: MqttBus;
  registry: GatewayRegistry;
  sink: EventSink;
  occupancy: LiveOccupancy;
  gateways: GatewayStatusBoard;
  bundleRequests?: BundleRequestHandler;
  logger: Logger;
  metrics: Registry;
  clock?: { now(): number };
  config?: GatewayIngestConfig;
}

interface IngestEvents {
  /** Events durably stored (after commit, before or while their ack is published). */
  committed: [CommittedEvents];
}

/**
 * Everything gateways publish enters the cloud here (flow 2 of docs/architecture.md "The four flows"; topics in protocol/README.md):
 * the topic names the gateway, which must exist; the payload must pass its protocol schema and
 * speak of the gateway's own centre. Anything else is counted, logged with its topic and dropped;
 * no message can crash the process. This class only routes: each kind has its handler in
 * ingest/handlers/ (events into the group commit, acked after it; statuses, occupancy samples and
 * bundle requests to their in-memory owners).
 *
 * Messages of one gateway are handled in arrival order (one promise chain per gateway), so an
 * `offline` will cannot overtake the `online` before it while a lookup is pending.
 */
export class GatewayIngest extends EventEmitter<IngestEvents> {
  private readonly base: string;
  private readonly log: Logger;
  private readonly metrics: IngestMetrics;
  private readonly lookup: GatewayLookup;
  private readonly batcher: EventBatcher;
  private readonly context: IngestContext;
  private readonly chains = new Map<string, Promise<void>>();
  private unsubscribes: Array<() => Promise<void>> = [];
  private running = false;

  constructor(private readonly deps: GatewayIngestDeps) {
    super();
    const config = deps.config ?? {};
    this.base = config.baseTopic ?? defaultBaseTopic;
    this.log = deps.logger.child({ module: "cloud:ingest" });
    this.metrics = ingestMetrics(deps.metrics);
    const clock = deps.clock ?? { now: () => Date.now() };
    this.lookup = new GatewayLookup(deps.registry, clock, config.identityCacheMs ?? 10_000);
    this.batcher = new EventBatcher({
      sink: deps.sink,
      ack: (gatewayId, upToSeq) =>
        deps.bus.publish(topicFor(gatewayId, "ack", this.base), encodeMessage("ack", { upToSeq }), {
          qos: 1,
        }),
      onCommitted: (batches, stored) => this.announce(batches, stored),
      maxDelayMs: config.batchMaxDelayMs ?? 0,
      maxEvents: config.batchMaxEvents ?? 2_000,
      metrics: this.metrics,
      logger: deps.logger,
    });
    this.context = {
      addEvents: (batch) => this.batcher.add(batch),
      occupancy: deps.occupancy,
      gateways: deps.gateways,
      bundleRequests: deps.bundleRequests,
      clock,
      log: this.log,
      reject: (kind, topic, cause) => this.reject(kind, topic, cause),
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const retained = retainedUplinkFilter(this.deps.bus, this.deps.logger);
    for (const kind of ingestedKinds) {
      const filter = allGatewaysFilter(kind, this.base);
      this.unsubscribes.push(
        await this.deps.bus.subscribe(
          filter,
          (topic, payload, delivery) => {
            if (!retained(kind, topic, payload, delivery)) this.receive(topic, payload);
          },
          { shared: sharedKinds.has(kind) },
        ),
      );
    }
  }

  /** Stops listening, then commits and acks what was already received. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const unsubscribes = this.unsubscribes;
    this.unsubscribes = [];
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe().catch(() => undefined)));
    await Promise.all(this.chains.values());
    await this.batcher.drain();
  }

  /** Entry point of the bus; also usable directly by tests. Never throws. */
  receive(topic: string, payload: Buffer): void {
    let gatewayId: string;
    let kind: MessageKind;
    try {
      ({ gatewayId, kind } = parseTopic(topic, { base: this.base }));
    } catch (error) {
      this.reject("unknown", topic, error);
      return;
    }
    if (messageKinds[kind].from !== "gateway") {
      this.reject(
        kind,
        topic,
        new ProtocolError("topic.invalid", `${kind} is not sent by gateways`),
      );
      return;
    }
    this.metrics.messages.inc({ kind });
    const previous = this.chains.get(gatewayId) ?? Promise.resolve();
    const next = previous.then(() => this.handle(gatewayId, kind as IngestedKind, topic, payload));
    this.chains.set(gatewayId, next);
    void next.finally(() => {
      if (this.chains.get(gatewayId) === next) this.chains.delete(gatewayId);
    });
  }

  private async handle(
    gatewayId: string,
    kind: IngestedKind,
    topic: string,
    payload: Buffer,
  ): Promise<void> {
    try {
      const identity = await this.lookup.find(gatewayId);
      if (!identity) {
        this.reject(kind, topic, "unknown-gateway");
        return;
      }
      const message = decodeMessage(kind, payload);
      this.dispatch(identity, kind, message, topic);
    } catch (error) {
      this.reject(kind, topic, error);
    }
  }

  /** Routes a decoded message to the handler of its kind (ingest/handlers/). */
  private dispatch(
    identity: GatewayIdentity,
    kind: IngestedKind,
    message: GatewayPayloads[IngestedKind],
    topic: string,
  ): void {
    const handler = ingestHandlers[kind] as (
      context: IngestContext,
      identity: GatewayIdentity,
      message: GatewayPayloads[IngestedKind],
      topic: string,
    ) => void;
    handler(this.context, identity, message, topic);
  }

  private announce(batches: readonly GatewayEventBatch[], stored: readonly StoredUpTo[]): void {
    const remaining = new Map(stored.map((s) => [s.gatewayId, s.inserted]));
    for (const batch of batches) {
      // The sink counts per gateway; spread that count over its batches, oldest first.
      const left = remaining.get(batch.gatewayId) ?? 0;
      const inserted = Math.min(left, batch.events.length);
      remaining.set(batch.gatewayId, left - inserted);
      this.emit("committed", { ...batch, inserted });
    }
  }

  private reject(kind: string, topic: string, cause: unknown): void {
    const reason =
      typeof cause === "string"
        ? cause
        : cause instanceof ProtocolError
          ? cause.code
          : "internal-error";
    this.metrics.rejected.inc({ kind, reason });
    const details = cause instanceof ProtocolError ? cause.details.slice(0, 5) : undefined;
    const message = cause instanceof Error ? cause.message : undefined;
    this.log.warn(
      { topic: topic.slice(0, 200), kind, reason, details, err: message },
      "message dropped",
    );
  }
}
