import { randomBytes } from "node:crypto";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "pino";
import { BrokerError } from "./brokerError.js";
import {
  type MessageDelivery,
  type MessageHandler,
  type MqttBus,
  type PublishOptions,
  type SubscribeOptions,
  topicMatches,
} from "./mqttBus.js";

export interface ExternalBrokerConfig {
  /** mqtt://host:1883 or mqtts://host:8883. */
  url: string;
  /** The privileged service user of the broker's ACL (deploy/mosquitto/acl: passerelle-cloud). */
  username: string;
  password: string;
  /** Mosquitto with use_username_as_clientid replaces it by the username anyway. */
  clientId?: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  connectTimeoutMs?: number;
  reconnectPeriodMs?: number;
  /**
   * The shared-subscription group of the cloud instances (default "passerelle-cloud"): ingest
   * subscribes to gateway events and bundle requests as `$share/{group}/…`, so each message is
   * handled by one instance (docs/scale.md). null: plain subscriptions (one instance only).
   */
  sharedGroup?: string | null;
  /** TCP_NODELAY on the broker socket (default true); false only to measure Nagle's cost. */
  noDelay?: boolean;
}

export interface ExternalBrokerDeps {
  logger: Logger;
  config: ExternalBrokerConfig;
}

/**
 * The cloud as a client of an external broker (Mosquitto, EMQX, HiveMQ; docs/cloud-mqtt.md "Broker modes").
 * MQTT 5 (for shared subscriptions, docs/scale.md), clean start: after a reconnect mqtt.js
 * subscribes again, retained statuses and bundles come back from the broker, and any events
 * missed meanwhile (or in flight to an instance that died) are re-sent by their gateways, which
 * keep them until the application ack. Gateways stay on MQTT 3.1.1: a broker serves both.
 */
export class ExternalBrokerLink {
  private client: MqttClient | undefined;
  private readonly handlers = new Set<{
    filter: string;
    brokerFilter: string;
    handler: MessageHandler;
  }>();
  private readonly log: Logger;
  private online = false;

  constructor(private readonly deps: ExternalBrokerDeps) {
    this.log = deps.logger.child({ module: "cloud:broker" });
  }

  async start(): Promise<void> {
    if (this.client) return;
    const { url, username, password, clientId, tls } = this.deps.config;
    const options: IClientOptions = {
      username,
      password,
      clientId: clientId ?? `passerelle-cloud-${randomBytes(4).toString("hex")}`,
      protocolVersion: 5,
      clean: true,
      resubscribe: true,
      reconnectPeriod: this.deps.config.reconnectPeriodMs ?? 1000,
      connectTimeout: this.deps.config.connectTimeoutMs ?? 10_000,
      ...tls,
    };
    let client: MqttClient;
    try {
      client = await connectAsync(url, options);
    } catch (error) {
      throw new BrokerError("connect-failed", `cannot connect to the broker at ${url}`, {
        cause: error,
      });
    }
    this.online = true;
    this.noDelay(client);
    client.on("message", (topic, payload, packet) =>
      this.dispatch(topic, payload, { retain: packet.retain === true }),
    );
    client.on("error", (error) => this.log.warn({ err: error.message }, "broker link error"));
    client.on("offline", () => {
      this.online = false;
      this.log.warn({ url }, "broker link offline");
    });
    client.on("close", () => {
      this.online = false;
    });
    client.on("connect", () => {
      this.online = true;
      this.noDelay(client);
      this.log.info({ url }, "broker link up");
    });
    this.client = client;
    this.log.info({ url, username }, "connected to the external broker");
  }

  /** Whether the link is up now (for /healthz: an instance says what it is missing). */
  isOnline(): boolean {
    return this.client !== undefined && this.online;
  }

  /**
   * Acks and bundle deltas are small QoS 1 packets: with Nagle's algorithm each waits for the
   * broker's delayed TCP ack, ~40 ms (measured, docs/performance.md). mqtt.js does not set
   * TCP_NODELAY on the socket it creates, so it is set on each new stream (every reconnect).
   */
  private noDelay(client: MqttClient): void {
    if (this.deps.config.noDelay === false) return;
    const socket = client.stream as { setNoDelay?: (noDelay: boolean) => void };
    socket.setNoDelay?.(true);
  }

  async stop(): Promise<void> {
    this.online = false;
    const client = this.client;
    this.client = undefined;
    this.handlers.clear();
    if (client) await client.endAsync(false).catch(() => undefined);
  }

  get bus(): MqttBus {
    return {
      subscribe: (filter, handler, options) => this.subscribe(filter, handler, options),
      publish: (topic, payload, options) => this.publish(topic, payload, options),
    };
  }

  private connected(): MqttClient {
    if (!this.client) throw new BrokerError("not-started", "the broker link is not started");
    return this.client;
  }

  private async subscribe(
    filter: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<() => Promise<void>> {
    const client = this.connected();
    const group =
      this.deps.config.sharedGroup === undefined
        ? "passerelle-cloud"
        : this.deps.config.sharedGroup;
    // The broker delivers a shared subscription's messages on their own topic (MQTT 5 §4.8.2):
    // the handler matches the plain filter, the broker is given the `$share/` one.
    const brokerFilter = options.shared && group !== null ? `$share/${group}/${filter}` : filter;
    const entry = { filter, brokerFilter, handler };
    this.handlers.add(entry);
    try {
      // mqtt.js rejects when the SUBACK holds a failure code (the broker's ACL refused the filter).
      await client.subscribeAsync(brokerFilter, { qos: 1 });
    } catch (error) {
      this.handlers.delete(entry);
      throw new BrokerError("refused", `the broker refused the subscription to ${brokerFilter}`, {
        cause: error,
      });
    }
    return async () => {
      this.handlers.delete(entry);
      const stillWanted = [...this.handlers].some((other) => other.brokerFilter === brokerFilter);
      if (!stillWanted && this.client) await this.client.unsubscribeAsync(brokerFilter);
    };
  }

  private async publish(topic: string, payload: Buffer, options: PublishOptions): Promise<void> {
    await this.connected().publishAsync(topic, payload, {
      qos: options.qos,
      retain: options.retain ?? false,
    });
  }

  private dispatch(topic: string, payload: Buffer, delivery: MessageDelivery): void {
    for (const { filter, handler } of this.handlers) {
      if (!topicMatches(filter, topic)) continue;
      try {
        const pending = handler(topic, payload, delivery);
        if (pending instanceof Promise) {
          pending.catch((error: unknown) =>
            this.log.error({ err: error, topic }, "message handler failed"),
          );
        }
      } catch (error) {
        this.log.error({ err: error, topic }, "message handler failed");
      }
    }
  }
}
