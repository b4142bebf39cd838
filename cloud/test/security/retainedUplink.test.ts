import { encodeMessage, topicFor } from "@passerelle/protocol";
import { serviceOf } from "@passerelle/testkit";
import { connectAsync, type MqttClient } from "mqtt";
import { Registry } from "prom-client";
import { afterAll, describe, expect, it } from "vitest";
import { EmbeddedBroker } from "../../src/broker/embeddedBroker.js";
import { ExternalBrokerLink } from "../../src/broker/externalBroker.js";
import type { MqttBus } from "../../src/broker/mqttBus.js";
import { GatewayIngest } from "../../src/ingest/gatewayIngest.js";
import { GatewayStatusBoard } from "../../src/occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "../../src/occupancy/liveOccupancy.js";
import { startDeployedMosquitto } from "../mocks/deployedMosquitto.js";
import { eventsPayload, onlineStatus } from "../mocks/gatewayMessages.js";
import { InMemoryEventSink, InMemoryGateways, silentLogger } from "../mocks/mqttPorts.js";
import { sleep, until } from "../mocks/waitFor.js";

/*
 * Finding 6 of issue 13: a gateway (or anyone with its secret) publishes an events batch with
 * the retain flag. Neither broker can refuse the flag, so the cloud must not ingest a retained
 * uplink message — not when it arrives, not at every restart — and must delete it. The status
 * stays retained (its last will depends on it).
 */

const gw = { id: "gw-retain", secret: "secret-retain" };
const service = { username: "passerelle-cloud", password: "service-secret" };

interface BrokerUnderTest {
  url: string;
  bus: MqttBus;
  service: { username: string; password: string };
}

function startIngest(bus: MqttBus, sink: InMemoryEventSink, statuses: GatewayStatusBoard) {
  const ingest = new GatewayIngest({
    bus,
    registry: new InMemoryGateways().add(gw.id, "redu", gw.secret),
    sink,
    occupancy: new LiveOccupancy(),
    gateways: statuses,
    logger: silentLogger,
    metrics: new Registry(),
  });
  return ingest.start().then(() => ingest);
}

/** What a new subscriber finds retained on `topic` within a short wait. */
async function retainedOn(broker: BrokerUnderTest, topic: string): Promise<Buffer[]> {
  const probe = await connectAsync(broker.url, {
    clientId: `probe-${Math.random().toString(16).slice(2)}`,
    ...broker.service,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const found: Buffer[] = [];
  probe.on("message", (_topic, payload, packet) => {
    if (packet.retain && payload.length > 0) found.push(payload);
  });
  await probe.subscribeAsync(topic, { qos: 1 });
  await sleep(300);
  await probe.endAsync(true);
  return found;
}

function describeRetainedOver(name: string, setup: () => Promise<BrokerUnderTest | null>) {
  describe(name, () => {
    it("ignores and clears a retained events batch; keeps the retained status", async (context) => {
      const broker = await setup();
      if (!broker) return context.skip();
      const sink = new InMemoryEventSink();
      const statuses = new GatewayStatusBoard();
      let ingest = await startIngest(broker.bus, sink, statuses);
      const gateway: MqttClient = await connectAsync(broker.url, {
        clientId: `gw-${gw.id}`,
        username: gw.id,
        password: gw.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      const acks: Buffer[] = [];
      gateway.on("message", (_topic, payload) => acks.push(payload));
      await gateway.subscribeAsync(topicFor(gw.id, "ack"), { qos: 1 });
      const statusTopic = topicFor(gw.id, "status");
      const eventsTopic = topicFor(gw.id, "events");
      await gateway.publishAsync(statusTopic, encodeMessage("status", onlineStatus("redu")), {
        qos: 1,
        retain: true,
      });
      await until(() => statuses.get(gw.id)?.online === true);
      // aedes' ACL (topicAccess.ts) already refuses the flag by closing the connection;
      // Mosquitto's takes the message and keeps it.
      await Promise.race([
        gateway
          .publishAsync(eventsTopic, eventsPayload("redu", [1, 2]), { qos: 1, retain: true })
          .catch(() => undefined),
        new Promise<void>((resolve) => gateway.once("close", () => resolve())),
      ]);
      await sleep(300);
      const acksBeforeRestart = acks.length;

      // The cloud restarts: a new ingest subscribes again.
      await ingest.stop();
      ingest = await startIngest(broker.bus, sink, new GatewayStatusBoard());
      await sleep(500);
      // Nothing the gateway did not send again is acked; stored at most once in all.
      expect(acks.length).toBe(acksBeforeRestart);
      expect(sink.rows.size).toBeLessThanOrEqual(2);
      expect(sink.commits).toBeLessThanOrEqual(1);
      // The retained batch is gone from the broker; the retained status is still there.
      expect(await retainedOn(broker, eventsTopic)).toEqual([]);
      expect((await retainedOn(broker, statusTopic)).length).toBe(1);

      await gateway.endAsync(true);
      await ingest.stop();
    });
  });
}

const embedded = new EmbeddedBroker({
  verifier: new InMemoryGateways().add(gw.id, "redu", gw.secret),
  logger: silentLogger,
  registry: new Registry(),
  config: { host: "127.0.0.1", port: 0 },
});
afterAll(() => embedded.stop());
describeRetainedOver("retained uplink messages on the embedded aedes", async () => {
  await embedded.start();
  return {
    url: `mqtt://127.0.0.1:${embedded.port}`,
    bus: embedded.bus,
    service: embedded.serviceCredentials,
  };
});

const mosquitto = await startDeployedMosquitto([gw], service);
const link = mosquitto.provision.available
  ? new ExternalBrokerLink({
      logger: silentLogger,
      config: { url: serviceOf(mosquitto.provision).url, ...service },
    })
  : undefined;
afterAll(async () => {
  await link?.stop();
  await mosquitto.stop();
});
describe.skipIf(!mosquitto.provision.available)("with Mosquitto", () => {
  describeRetainedOver("retained uplink messages on Mosquitto with the deploy/ ACL", async () => {
    if (!link || !mosquitto.provision.available) return null;
    await link.start();
    return { url: serviceOf(mosquitto.provision).url, bus: link.bus, service };
  });
});
