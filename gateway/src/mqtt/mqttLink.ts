import { EventEmitter } from "node:events";
import {
  encodeMessage,
  limits,
  type MessageKind,
  ProtocolError,
  parseTopic,
  topicFor,
} from "@passerelle/protocol";
import { connect, type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "../core/logger.js";
import { ReconnectBackoff } from "../core/reconnectBackoff.js";

/** What the cloud sends a gateway. */
export type InboundKind = "bundle" | "bundleDelta" | "ack" | "command";
/** What a gateway sends the cloud. */
export type OutboundKind = "status" | "events" | "occupancy" | "bundleRequest";

const inboundKinds: readonly InboundKind[] = ["bundle", "bundleDelta", "ack", "command"];

export interface MqttLinkOptions {
  gatewayId: string;
  url: string;
  password: string;
  baseTopic: string;
  keepaliveSeconds: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  logger: Logger;
}

interface LinkEvents {
  message: [kind: InboundKind, payload: Buffer];
  connection: [connected: boolean];
}

/**
 * The gateway's one MQTT connection: its own credentials (username = gateway id), TLS when
 * configured, a retained `status` with an `offline` last will, reconnect with backoff and
 * resubscription. Inbound messages are checked to be on this gateway's own topics before any
 * handler sees them; a handler's failure is logged and never ends the process.
 */
export class MqttLink extends EventEmitter<LinkEvents> {
  private client: MqttClient | undefined;
  private readonly backoff: ReconnectBackoff;
  private readonly log: Logger;
  private connected = false;
  rejectedMessages = 0;

  constructor(private readonly options: MqttLinkOptions) {
    super();
    this.backoff = new ReconnectBackoff(options.reconnectMinMs, options.reconnectMaxMs);
    this.log = options.logger.child({ module: "gateway:mqtt" });
  }

  /** Starts connecting in the background: the door never waits for the network. */
  start(): void {
    const { gatewayId, url, password, keepaliveSeconds, tls } = this.options;
    const clientOptions: IClientOptions = {
      clientId: `gw-${gatewayId}`,
      username: gatewayId,
      password,
      protocolVersion: 4, // MQTT 3.1.1: what aedes and Mosquitto both serve
      keepalive: keepaliveSeconds,
      clean: true, // the outbox, the retained bundle and a bundle request replace a stored session
      resubscribe: false, // subscriptions are made on every connect, below
      reconnectPeriod: this.options.reconnectMinMs,
      connectTimeout: 10_000,
      queueQoSZero: false,
      will: {
        topic: this.topic("status"),
        payload: encodeMessage("status", { state: "offline" }),
        qos: 1,
        retain: true,
      },
      ...tls,
    };
    const client = connect(url, clientOptions);
    this.client = client;
    client.on("connect", () => this.onConnect(client));
    client.on("close", () => this.setConnected(false));
    client.on("offline", () => this.setConnected(false));
    client.on("reconnect", () => {
      // mqtt.js reads reconnectPeriod before each new attempt: grow it with jitter.
      client.options.reconnectPeriod = this.backoff.next();
    });
    client.on("error", (error) => this.log.warn({ err: error.message }, "broker connection error"));
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
  }

  /** Says goodbye with a retained offline status, then closes. */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if (this.connected) {
      await client
        .publishAsync(this.topic("status"), encodeMessage("status", { state: "offline" }), {
          qos: 1,
          retain: true,
        })
        .catch(() => undefined);
    }
    await client.endAsync(false).catch(() => undefined);
    this.setConnected(false);
  }

  isConnected(): boolean {
    return this.connected;
  }

  /** Publishes at QoS 1; resolves at the broker's PUBACK. Fails at once when offline. */
  async publish(kind: OutboundKind, payload: Buffer, retain = false): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) throw new Error("MQTT link is offline");
    await client.publishAsync(this.topic(kind), payload, { qos: 1, retain });
  }

  private topic(kind: MessageKind): string {
    return topicFor(this.options.gatewayId, kind, this.options.baseTopic);
  }

  private onConnect(client: MqttClient): void {
    this.backoff.reset();
    client.options.reconnectPeriod = this.options.reconnectMinMs;
    // Small QoS 1 packets (acks, batches) must not wait for Nagle's algorithm: ~40 ms each.
    const socket = client.stream as { setNoDelay?: (noDelay: boolean) => void };
    socket.setNoDelay?.(true);
    const subscriptions = Object.fromEntries(
      inboundKinds.map((kind) => [this.topic(kind), { qos: 1 as const }]),
    );
    client
      .subscribeAsync(subscriptions)
      .then(() => {
        this.log.info({ url: this.options.url }, "connected to broker");
        this.setConnected(true);
      })
      .catch((error: Error) => {
        // mqtt.js rejects when the broker refuses a subscription (SUBACK 0x80): a wrong ACL.
        // Stay "offline" for the uplink and retry at the next reconnect; the door keeps working.
        this.log.error({ err: error.message }, "broker refused the gateway's subscriptions");
        client.stream.destroy();
      });
  }

  private onMessage(topic: string, payload: Buffer): void {
    let kind: MessageKind;
    try {
      const parsed = parseTopic(topic, {
        base: this.options.baseTopic,
        expectedGatewayId: this.options.gatewayId,
      });
      kind = parsed.kind;
      if (!inboundKinds.includes(kind as InboundKind)) {
        throw new ProtocolError("topic.invalid", `a gateway does not receive ${kind} messages`);
      }
      const max =
        kind === "bundle" || kind === "bundleDelta" ? limits.bundleBytes : limits.messageBytes;
      if (payload.length > max)
        throw new ProtocolError("payload.too-large", `${payload.length} bytes on ${kind}`);
    } catch (error) {
      this.rejectedMessages += 1;
      this.log.warn({ topic, err: (error as Error).message }, "inbound message refused");
      return;
    }
    try {
      this.emit("message", kind as InboundKind, payload);
    } catch (error) {
      this.log.error({ topic, err: (error as Error).message }, "inbound message handler failed");
    }
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    this.emit("connection", connected);
  }
}
