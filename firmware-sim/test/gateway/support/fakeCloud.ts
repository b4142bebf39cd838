import { createPrivateKey, type KeyObject } from "node:crypto";
import {
  allGatewaysFilter,
  decodeMessage,
  encodeMessage,
  type FullBundle,
  type GatewayEvent,
  type GatewayStatus,
  generateSigningKeyPair,
  parseTopic,
  signFullBundle,
  topicFor,
} from "@passerelle/protocol";
import { connectAsync, type MqttClient } from "mqtt";

/**
 * Plays the cloud for the gateway's integration tests: signs and publishes bundles, stores
 * events deduplicated on (gateway, seq) as the real ingest does, and acks after "commit".
 */
export class FakeCloud {
  readonly signing = generateSigningKeyPair();
  readonly privateKey: KeyObject = createPrivateKey(this.signing.privateKeyPem);
  /** Stored events by gateway, keyed by seq: a duplicate delivery overwrites, never adds. */
  readonly stored = new Map<string, Map<number, GatewayEvent>>();
  /** Every delivery, duplicates included, to observe re-sends. */
  deliveries = 0;
  readonly statuses = new Map<string, GatewayStatus>();
  bundleRequests = 0;
  acking = true;
  private client: MqttClient | undefined;
  private readonly waiters = new Set<() => void>();

  async connect(
    url: string,
    credentials: { username?: string; password?: string } = {},
  ): Promise<void> {
    this.client = await connectAsync(url, {
      protocolVersion: 4,
      reconnectPeriod: 200,
      ...credentials,
    });
    this.client.on("message", (topic, payload) => this.onMessage(topic, payload));
    await this.client.subscribeAsync(
      ["events", "status", "bundleRequest"].map((kind) => allGatewaysFilter(kind as "events")),
      { qos: 1 },
    );
  }

  async publishBundle(gatewayId: string, bundle: FullBundle): Promise<void> {
    await this.mqtt().publishAsync(
      topicFor(gatewayId, "bundle"),
      signFullBundle(bundle, this.privateKey),
      {
        qos: 1,
        retain: true,
      },
    );
  }

  async publishRaw(
    gatewayId: string,
    kind: "bundle" | "bundleDelta" | "command" | "ack",
    payload: Buffer,
  ) {
    await this.mqtt().publishAsync(topicFor(gatewayId, kind), payload, { qos: 1 });
  }

  events(gatewayId: string): GatewayEvent[] {
    return [...(this.stored.get(gatewayId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /** Resolves when `predicate` holds, re-checked after every message. */
  until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true);
  }

  private mqtt(): MqttClient {
    if (!this.client) throw new Error("fake cloud not connected");
    return this.client;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const { gatewayId, kind } = parseTopic(topic);
    if (kind === "events") {
      const { events } = decodeMessage("events", payload);
      this.deliveries += 1;
      const byseq = this.stored.get(gatewayId) ?? new Map<number, GatewayEvent>();
      this.stored.set(gatewayId, byseq);
      for (const event of events) byseq.set(event.seq, event);
      const upToSeq = events[events.length - 1]?.seq ?? 0;
      if (this.acking) {
        void this.mqtt().publishAsync(
          topicFor(gatewayId, "ack"),
          encodeMessage("ack", { upToSeq }),
          { qos: 1 },
        );
      }
    } else if (kind === "status") {
      this.statuses.set(gatewayId, decodeMessage("status", payload));
    } else if (kind === "bundleRequest") {
      this.bundleRequests += 1;
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}
