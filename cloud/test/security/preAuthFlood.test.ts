import { topicFor } from "@passerelle/protocol";
import { serviceOf } from "@passerelle/testkit";
import { connectAsync } from "mqtt";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { EmbeddedBroker } from "../../src/broker/embeddedBroker.js";
import { startDeployedMosquitto } from "../mocks/deployedMosquitto.js";
import { InMemoryGateways, silentLogger } from "../mocks/mqttPorts.js";
import { metricValue } from "../mocks/waitFor.js";
import { floodClient, idleConnection } from "./rawMqtt.js";

/*
 * Finding 2 of issue 13: anonymous clients announcing huge CONNECT packets and streaming filler
 * made the embedded broker hold what they announced (3.2 GB RSS for a dozen), and Mosquitto
 * with deploy/'s max_packet_size 128 MiB held 128 MB per client. Byte caps before
 * authentication (embedded) and a max_packet_size fitting the largest bundle frame (Mosquitto).
 */

const gw = { id: "gw-flood", secret: "secret-flood" };
const mib = 1024 * 1024;
let broker: EmbeddedBroker | undefined;
let registry: Registry;

async function startEmbedded(): Promise<EmbeddedBroker> {
  registry = new Registry();
  broker = new EmbeddedBroker({
    verifier: new InMemoryGateways().add(gw.id, "redu", gw.secret),
    logger: silentLogger,
    registry,
    // The test's clients come from loopback, which is exempt by default (a local TLS proxy).
    config: {
      host: "127.0.0.1",
      port: 0,
      connectionRate: { perMinute: 30, exemptLoopback: false },
    },
  });
  await broker.start();
  return broker;
}

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

describe("the embedded broker under a pre-authentication flood", () => {
  it("closes a dozen clients announcing 256 MB CONNECTs at once; memory stays put", async () => {
    const embedded = await startEmbedded();
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const results = await Promise.all(
      Array.from({ length: 12 }, () => floodClient(embedded.port, 256_000_000, 3_000)),
    );
    const rssAfter = process.memoryUsage().rss;
    expect(results.every((r) => r.closedByBroker)).toBe(true);
    // Each client gets out what the socket buffers hold before the close, not 256 MB.
    expect(Math.max(...results.map((r) => r.sent))).toBeLessThan(16 * mib);
    expect(rssAfter - rssBefore).toBeLessThan(64 * mib);
    expect(
      await metricValue(registry, "passerelle_mqtt_connections_cut_total", {
        reason: "packet-too-large",
      }),
    ).toBe(12);
  });

  it("caps a gateway's publish near the protocol's message limit, after authentication", async () => {
    const embedded = await startEmbedded();
    const connectGateway = () =>
      connectAsync(`mqtt://127.0.0.1:${embedded.port}`, {
        clientId: `gw-${gw.id}`,
        username: gw.id,
        password: gw.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
    const gateway = await connectGateway();
    // An ordinary message of 1 MiB (protocol limits.messageBytes) passes the byte cap.
    await gateway.publishAsync(topicFor(gw.id, "events"), Buffer.alloc(mib, 0x20), { qos: 1 });
    expect(gateway.connected).toBe(true);
    const closed = new Promise<void>((resolve) => gateway.once("close", () => resolve()));
    gateway.publish(topicFor(gw.id, "events"), Buffer.alloc(4 * mib, 0x20), { qos: 1 });
    await closed;
    expect(
      await metricValue(registry, "passerelle_mqtt_connections_cut_total", {
        reason: "packet-too-large",
      }),
    ).toBe(1);
    await gateway.endAsync(true);
  });

  it("refuses new connections from one address past 30 a minute, unread", async () => {
    const embedded = await startEmbedded();
    const closed = await Promise.all(
      Array.from({ length: 40 }, () => idleConnection(embedded.port, 1_000)),
    );
    // The first 30 wait for their CONNECT (10 s); the 10 others are closed at once.
    expect(closed.filter(Boolean).length).toBe(10);
    expect(
      await metricValue(registry, "passerelle_mqtt_connections_cut_total", {
        reason: "connection-rate",
      }),
    ).toBe(10);
  });
});

const mosquitto = await startDeployedMosquitto([gw], {
  username: "passerelle-cloud",
  password: "service-secret",
});

describe.skipIf(!mosquitto.provision.available)("Mosquitto with deploy/mosquitto.conf", () => {
  it("closes a client announcing a 64 MiB CONNECT at once (max_packet_size fits a bundle frame)", async () => {
    const port = Number(new URL(serviceOf(mosquitto.provision).url).port);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => floodClient(port, 64 * mib, 3_000)),
    );
    await mosquitto.stop();
    expect(results.every((r) => r.closedByBroker)).toBe(true);
    expect(Math.max(...results.map((r) => r.sent))).toBeLessThan(16 * mib);
  });
});
