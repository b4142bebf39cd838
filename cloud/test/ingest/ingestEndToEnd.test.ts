import { decodeMessage, encodeMessage, topicFor } from "@passerelle/protocol";
import { serviceOf } from "@passerelle/testkit";
import { connectAsync, type MqttClient } from "mqtt";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedBroker } from "../../src/broker/embeddedBroker.js";
import { ExternalBrokerLink } from "../../src/broker/externalBroker.js";
import type { MqttBus } from "../../src/broker/mqttBus.js";
import { GatewayIngest } from "../../src/ingest/gatewayIngest.js";
import { GatewayStatusBoard } from "../../src/occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "../../src/occupancy/liveOccupancy.js";
import { startDeployedMosquitto } from "../mocks/deployedMosquitto.js";
import { eventsPayload, onlineStatus } from "../mocks/gatewayMessages.js";
import { InMemoryEventSink, InMemoryGateways, silentLogger } from "../mocks/mqttPorts.js";
import { metricValue, until } from "../mocks/waitFor.js";

/*
 * Flow 2 (docs/architecture.md "The four flows") over a real broker: a gateway (mqtt.js, its own credentials) publishes at
 * QoS 1; the cloud stores and acks. Run on the embedded aedes (in-process bus) and on Mosquitto
 * with the deploy/ ACL (the cloud as the passerelle-cloud service user over the network).
 */

const gatewayCredentials = { id: "gw-redu", secret: "secret-redu" };
const service = { username: "passerelle-cloud", password: "service-secret" };

interface Cloud {
  url: string;
  bus: MqttBus;
}

function describeIngestOver(
  name: string,
  setup: () => Promise<Cloud | null>,
  teardown: () => Promise<void>,
) {
  describe(name, () => {
    let cloud: Cloud | null;
    let sink: InMemoryEventSink;
    let statuses: GatewayStatusBoard;
    let registry: Registry;
    let ingest: GatewayIngest;
    let gateway: MqttClient;
    let acks: number[];

    beforeAll(async () => {
      cloud = await setup();
    });
    afterAll(teardown);

    afterEach(async () => {
      await gateway?.endAsync(true).catch(() => undefined);
      await ingest?.stop();
    });

    async function startAll() {
      if (!cloud) throw new Error("no broker");
      sink = new InMemoryEventSink();
      statuses = new GatewayStatusBoard();
      registry = new Registry();
      ingest = new GatewayIngest({
        bus: cloud.bus,
        registry: new InMemoryGateways().add(
          gatewayCredentials.id,
          "redu",
          gatewayCredentials.secret,
        ),
        sink,
        occupancy: new LiveOccupancy(),
        gateways: statuses,
        logger: silentLogger,
        metrics: registry,
      });
      await ingest.start();
      acks = [];
      gateway = await connectAsync(cloud.url, {
        clientId: `gw-${gatewayCredentials.id}`,
        username: gatewayCredentials.id,
        password: gatewayCredentials.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
        will: {
          topic: topicFor(gatewayCredentials.id, "status"),
          payload: encodeMessage("status", { state: "offline" }),
          qos: 1,
          retain: true,
        },
      });
      gateway.on("message", (_topic, payload) => acks.push(decodeMessage("ack", payload).upToSeq));
      await gateway.subscribeAsync(topicFor(gatewayCredentials.id, "ack"), { qos: 1 });
    }

    const eventsTopic = topicFor(gatewayCredentials.id, "events");

    it("stores a batch and acks it; a re-sent batch is stored once and acked again", async (context) => {
      if (!cloud) return context.skip();
      await startAll();
      await gateway.publishAsync(eventsTopic, eventsPayload("redu", [1, 2, 3]), { qos: 1 });
      await until(() => acks.length === 1);
      expect(acks).toEqual([3]);
      expect(sink.eventsOf(gatewayCredentials.id).map((e) => e.seq)).toEqual([1, 2, 3]);
      await gateway.publishAsync(eventsTopic, eventsPayload("redu", [1, 2, 3]), { qos: 1 });
      await gateway.publishAsync(eventsTopic, eventsPayload("redu", [4]), { qos: 1 });
      // Both may share one commit, and then one ack covers both: the highest seq, 4.
      await until(() => acks.includes(4));
      expect(acks.every((upTo, i) => i === 0 || upTo >= (acks[i - 1] ?? 0))).toBe(true);
      expect(sink.rows.size).toBe(4);
    });

    it("drops a malformed batch without an ack and keeps the gateway's connection", async (context) => {
      if (!cloud) return context.skip();
      await startAll();
      await gateway.publishAsync(eventsTopic, Buffer.from("{not json"), { qos: 1 });
      await gateway.publishAsync(eventsTopic, Buffer.from([0xc3, 0x28]), { qos: 1 });
      await gateway.publishAsync(eventsTopic, eventsPayload("redu", [10]), { qos: 1 });
      await until(() => acks.length === 1);
      expect(acks).toEqual([10]);
      expect(sink.rows.size).toBe(1);
      expect(gateway.connected).toBe(true);
      expect(
        await metricValue(registry, "passerelle_ingest_rejected_total", {
          kind: "events",
          reason: "payload.not-json",
        }),
      ).toBe(1);
      expect(
        await metricValue(registry, "passerelle_ingest_rejected_total", {
          kind: "events",
          reason: "payload.not-utf8",
        }),
      ).toBe(1);
    });

    it("sees the gateway online from its retained status, and offline from its will", async (context) => {
      if (!cloud) return context.skip();
      await startAll();
      await gateway.publishAsync(
        topicFor(gatewayCredentials.id, "status"),
        encodeMessage("status", onlineStatus("redu")),
        { qos: 1, retain: true },
      );
      await until(() => statuses.get(gatewayCredentials.id)?.online === true);
      gateway.stream.destroy();
      await until(() => statuses.get(gatewayCredentials.id)?.online === false);
    });
  });
}

const embedded = new EmbeddedBroker({
  verifier: new InMemoryGateways().add(gatewayCredentials.id, "redu", gatewayCredentials.secret),
  logger: silentLogger,
  registry: new Registry(),
  config: { host: "127.0.0.1", port: 0 },
});
describeIngestOver(
  "ingest over the embedded aedes",
  async () => {
    await embedded.start();
    return { url: `mqtt://127.0.0.1:${embedded.port}`, bus: embedded.bus };
  },
  () => embedded.stop(),
);

const mosquitto = await startDeployedMosquitto([gatewayCredentials], service);
const link = mosquitto.provision.available
  ? new ExternalBrokerLink({
      logger: silentLogger,
      config: { url: serviceOf(mosquitto.provision).url, ...service },
    })
  : undefined;
describeIngestOver(
  "ingest over Mosquitto with the deploy/ ACL (external-broker mode)",
  async () => {
    if (!link || !mosquitto.provision.available) return null;
    await link.start();
    return { url: serviceOf(mosquitto.provision).url, bus: link.bus };
  },
  async () => {
    await link?.stop();
    await mosquitto.stop();
  },
);
