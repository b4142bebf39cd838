import { randomBytes } from "node:crypto";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "pino";
import { BrokerError } from "./brokerError.js";
import {
  type MessageDelivery,
  type MessageHandler,
  type MqttBus,
  type PublishOptions,
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
}

export interface ExternalBrokerDeps {
  logger: Logger;
  config: ExternalBrokerConfig;
}

/**
 * The cloud as a client of an external broker (Mosquitto, EMQX, HiveMQ; docs/cloud-mqtt.md "Broker modes").
 * MQTT 3.1.1, clean session: after a reconnect mqtt.js subscribes again, retained statuses and
 * bundles come back from the broker, and any events missed meanwhile are re-sent by their
 * gateways, which keep them until the application ack.
 */
export class ExternalBrokerLink {
  private client: MqttClient | undefined;
  private readonly handlers = new Set<{ filter: string; handler: MessageHandler }>();
  private readonly log: Logger;

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
      protocolVersion: 4,
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
    client.on("message", (topic, payload, packet) =>
      this.dispatch(topic, payload, { retain: packet.retain === true }),
    );
    client.on("error", (error) => this.log.warn({ err: error.message }, "broker link error"));
    client.on("offline", () => this.log.warn({ url }, "broker link offline"));
    client.on("connect", () => this.log.info({ url }, "broker link up"));
    this.client = client;
    this.log.info({ url, username }, "connected to the external broker");
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.handlers.clear();
    if (client) await client.endAsync(false).catch(() => undefined);
  }

  get bus(): MqttBus {
    return {
      subscribe: (filter, handler) => this.subscribe(filter, handler),
      publish: (topic, payload, options) => this.publish(topic, payload, options),
    };
  }

  private connected(): MqttClient {
    if (!this.client) throw new BrokerError("not-started", "the broker link is not started");
    return this.client;
  }

  private async subscribe(filter: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const client = this.connected();
    const entry = { filter, handler };
    this.handlers.add(entry);
    try {
      // mqtt.js rejects when the SUBACK holds 0x80 (the broker's ACL refused the filter).
      await client.subscribeAsync(filter, { qos: 1 });
    } catch (error) {
      this.handlers.delete(entry);
      throw new BrokerError("refused", `the broker refused the subscription to ${filter}`, {
        cause: error,
      });
    }
    return async () => {
      this.handlers.delete(entry);
      const stillWanted = [...this.handlers].some((other) => other.filter === filter);
      if (!stillWanted && this.client) await this.client.unsubscribeAsync(filter);
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
