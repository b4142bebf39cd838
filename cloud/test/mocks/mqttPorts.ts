import type { GatewayEvent } from "@passerelle/protocol";
import { pino } from "pino";
import {
  type MessageHandler,
  type MqttBus,
  type PublishOptions,
  topicMatches,
} from "../../src/broker/mqttBus.js";
import type { AccessRulesSource, BundleVersionStore } from "../../src/ports/accessRules.js";
import type { CentreAccessInput } from "../../src/ports/compilerInput.js";
import type {
  EventSink,
  GatewayEventBatch,
  GatewayRegistry,
  StoredUpTo,
} from "../../src/ports/eventSink.js";
import type {
  GatewayCredentialVerifier,
  GatewayIdentity,
} from "../../src/ports/gatewayCredentials.js";

/*
 * In-memory fakes of every outside boundary of the cloud's MQTT side: the store's gateways,
 * events, access rules and bundle versions, and the bus itself.
 */

export const silentLogger = pino({ level: "silent" });

/** Gateways with plain-text secrets: the store's verifier hashes them, this fake need not. */
export class InMemoryGateways implements GatewayCredentialVerifier, GatewayRegistry {
  private readonly gateways = new Map<string, { identity: GatewayIdentity; secret: string }>();
  lookups = 0;

  add(gatewayId: string, centreId: string, secret: string): this {
    this.gateways.set(gatewayId, { identity: { gatewayId, centreId }, secret });
    return this;
  }

  async verify(username: string, secret: string): Promise<GatewayIdentity | null> {
    const entry = this.gateways.get(username);
    return entry && entry.secret === secret ? entry.identity : null;
  }

  async lookup(gatewayId: string): Promise<GatewayIdentity | null> {
    this.lookups += 1;
    return this.gateways.get(gatewayId)?.identity ?? null;
  }
}

/** Events keyed by (gateway, seq); a commit can be held open or made to fail. */
export class InMemoryEventSink implements EventSink {
  readonly rows = new Map<string, GatewayEvent>();
  commits = 0;
  /** What happened, in order: "commit:<gw>:<upTo>" entries, shared with a test's ack log. */
  readonly journal: string[];
  private failures = 0;
  private gate: Promise<void> | undefined;

  constructor(journal: string[] = []) {
    this.journal = journal;
  }

  failNext(times = 1): void {
    this.failures = times;
  }

  /** Commits wait until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise((resolve) => {
      release = resolve;
    });
    return () => {
      this.gate = undefined;
      release();
    };
  }

  eventsOf(gatewayId: string): GatewayEvent[] {
    return [...this.rows.entries()]
      .filter(([key]) => key.startsWith(`${gatewayId}#`))
      .map(([, event]) => event)
      .sort((a, b) => a.seq - b.seq);
  }

  async storeBatch(batches: readonly GatewayEventBatch[]): Promise<readonly StoredUpTo[]> {
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("disk full");
    }
    const result = new Map<string, { upToSeq: number; inserted: number }>();
    for (const batch of batches) {
      const entry = result.get(batch.gatewayId) ?? { upToSeq: 0, inserted: 0 };
      for (const event of batch.events) {
        const key = `${batch.gatewayId}#${event.seq}`;
        if (!this.rows.has(key)) {
          this.rows.set(key, event);
          entry.inserted += 1;
        }
        entry.upToSeq = Math.max(entry.upToSeq, event.seq);
      }
      result.set(batch.gatewayId, entry);
    }
    this.commits += 1;
    for (const [gatewayId, { upToSeq }] of result)
      this.journal.push(`commit:${gatewayId}:${upToSeq}`);
    return [...result].map(([gatewayId, entry]) => ({ gatewayId, ...entry }));
  }
}

export interface PublishedMessage {
  topic: string;
  payload: Buffer;
  options: PublishOptions;
}

/** A bus with no broker: tests deliver messages by hand and read what was published. */
export class FakeBus implements MqttBus {
  readonly published: PublishedMessage[] = [];
  private readonly subscriptions = new Set<{ filter: string; handler: MessageHandler }>();
  readonly journal: string[];

  constructor(journal: string[] = []) {
    this.journal = journal;
  }

  get filters(): string[] {
    return [...this.subscriptions].map((s) => s.filter);
  }

  async subscribe(filter: string, handler: MessageHandler) {
    const entry = { filter, handler };
    this.subscriptions.add(entry);
    return async () => {
      this.subscriptions.delete(entry);
    };
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions) {
    this.published.push({ topic, payload, options });
    this.journal.push(`publish:${topic}`);
  }

  deliver(topic: string, payload: Buffer | string, delivery = { retain: false }): void {
    const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
    for (const { filter, handler } of this.subscriptions) {
      if (topicMatches(filter, topic)) void handler(topic, bytes, delivery);
    }
  }

  on(topic: string): PublishedMessage[] {
    return this.published.filter((m) => m.topic === topic);
  }
}

export class InMemoryAccessRules implements AccessRulesSource {
  readonly centres = new Map<string, CentreAccessInput>();
  readonly gateways = new Map<string, string[]>();
  loads = 0;

  set(input: CentreAccessInput, gateways: string[]): this {
    this.centres.set(input.centre.id, input);
    this.gateways.set(input.centre.id, gateways);
    return this;
  }

  update(centreId: string, change: (input: CentreAccessInput) => CentreAccessInput): void {
    const input = this.centres.get(centreId);
    if (!input) throw new Error(`no centre ${centreId}`);
    this.centres.set(centreId, change(input));
  }

  async loadCentre(centreId: string): Promise<CentreAccessInput | null> {
    this.loads += 1;
    return this.centres.get(centreId) ?? null;
  }

  async listCentres(): Promise<readonly string[]> {
    return [...this.centres.keys()].sort();
  }

  async gatewaysOf(centreId: string): Promise<readonly string[]> {
    return this.gateways.get(centreId) ?? [];
  }
}

export class InMemoryVersionStore implements BundleVersionStore {
  readonly versions = new Map<string, number>();

  async current(centreId: string): Promise<number | null> {
    return this.versions.get(centreId) ?? null;
  }

  async commit(centreId: string, version: number): Promise<void> {
    const current = this.versions.get(centreId) ?? 0;
    if (version <= current) throw new Error(`version ${version} is not above ${current}`);
    this.versions.set(centreId, version);
  }
}
