import {
  decodeMessage,
  encodeMessage,
  generateSigningKeyPair,
  openBundle,
  privateKeyFromPem,
  topicFor,
  trustedKeysFromPem,
} from "@passerelle/protocol";
import { connectAsync } from "mqtt";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { CloudMqtt } from "../src/cloudMqtt.js";
import { hashOf, now, reduInput } from "./bundles/centreFixture.js";
import { eventsPayload, onlineStatus } from "./mocks/gatewayMessages.js";
import {
  InMemoryAccessRules,
  InMemoryEventSink,
  InMemoryGateways,
  InMemoryVersionStore,
  silentLogger,
} from "./mocks/mqttPorts.js";
import { until } from "./mocks/waitFor.js";

describe("CloudMqtt (embedded mode)", () => {
  it("wires broker, ingest, occupancy and bundles, and releases the port on stop", async () => {
    const keys = generateSigningKeyPair();
    const gateways = new InMemoryGateways().add("gw-redu", "redu", "secret");
    const events = new InMemoryEventSink();
    const mqtt = new CloudMqtt({
      broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
      credentials: gateways,
      gateways,
      events,
      accessRules: new InMemoryAccessRules().set(reduInput(), ["gw-redu"]),
      bundleVersions: new InMemoryVersionStore(),
      signingKey: { privateKey: privateKeyFromPem(keys.privateKeyPem) },
      logger: silentLogger,
      metrics: new Registry(),
      clock: { now: () => now },
    });
    await mqtt.start();
    const url = `mqtt://127.0.0.1:${mqtt.brokerPort}`;
    const gateway = await connectAsync(url, {
      clientId: "gw-gw-redu",
      username: "gw-redu",
      password: "secret",
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const received: Array<{ topic: string; payload: Buffer }> = [];
    gateway.on("message", (topic, payload) => received.push({ topic, payload }));
    await gateway.subscribeAsync({
      [topicFor("gw-redu", "ack")]: { qos: 1 },
      [topicFor("gw-redu", "bundle")]: { qos: 1 },
    });

    await gateway.publishAsync(
      topicFor("gw-redu", "status"),
      encodeMessage("status", onlineStatus("redu")),
      {
        qos: 1,
        retain: true,
      },
    );
    await gateway.publishAsync(topicFor("gw-redu", "events"), eventsPayload("redu", [1, 2]), {
      qos: 1,
    });
    await until(() => received.some((m) => m.topic.endsWith("/ack")));
    const ack = received.find((m) => m.topic.endsWith("/ack"));
    expect(decodeMessage("ack", ack?.payload ?? Buffer.alloc(0))).toEqual({ upToSeq: 2 });
    expect(mqtt.gatewayStatus.get("gw-redu")?.online).toBe(true);

    await until(() => received.some((m) => m.topic.endsWith("/bundle")));
    const bundle = received.find((m) => m.topic.endsWith("/bundle"));
    const opened = openBundle(bundle?.payload ?? Buffer.alloc(0), {
      trustedKeys: trustedKeysFromPem([keys.publicKeyPem]),
      heldVersion: null,
      centre: "redu",
      now,
    });
    expect(
      opened.type === "bundle.full" && opened.credentials.some((c) => c.hash === hashOf("0402")),
    ).toBe(true);

    await gateway.endAsync(true);
    await mqtt.stop();
    await expect(
      connectAsync(url, {
        reconnectPeriod: 0,
        connectTimeout: 1_000,
        username: "gw-redu",
        password: "secret",
      }),
    ).rejects.toThrow();
  });
});
