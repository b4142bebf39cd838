import {
  type DeltaBundle,
  encodeMessage,
  type FullBundle,
  generateSigningKeyPair,
  openBundle,
  privateKeyFromPem,
  topicFor,
  trustedKeysFromPem,
} from "@passerelle/protocol";
import { connectAsync, type MqttClient } from "mqtt";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedBroker } from "../../src/broker/embeddedBroker.js";
import { BundlePublisher } from "../../src/bundles/bundlePublisher.js";
import { GatewayIngest } from "../../src/ingest/gatewayIngest.js";
import { GatewayStatusBoard } from "../../src/occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "../../src/occupancy/liveOccupancy.js";
import {
  InMemoryAccessRules,
  InMemoryEventSink,
  InMemoryGateways,
  InMemoryVersionStore,
  silentLogger,
} from "../mocks/mqttPorts.js";
import { hashOf, now, reduInput } from "./centreFixture.js";

/*
 * Flow 3 (docs/architecture.md "The four flows") end to end on a real socket: a badge revoked in the office must stop opening
 * a connected gateway's door within 2 s. The gateway is an mqtt.js client with its own
 * credentials; it verifies what it receives with the protocol's openBundle, as the real one does.
 */

const keys = generateSigningKeyPair();
const trustedKeys = trustedKeysFromPem([keys.publicKeyPem]);
const clock = { now: () => now };
const gateways = new InMemoryGateways().add("gw-redu", "redu", "secret-redu");
const source = new InMemoryAccessRules().set(reduInput(), ["gw-redu"]);
const registry = new Registry();
const broker = new EmbeddedBroker({
  verifier: gateways,
  logger: silentLogger,
  registry,
  config: { host: "127.0.0.1", port: 0 },
});
let publisher: BundlePublisher;
let ingest: GatewayIngest;
let gateway: MqttClient;
const inbox: Array<{ kind: "bundle" | "bundleDelta"; payload: Buffer; at: number }> = [];

beforeAll(async () => {
  await broker.start();
  publisher = new BundlePublisher({
    bus: broker.bus,
    source,
    versions: new InMemoryVersionStore(),
    signingKey: { privateKey: privateKeyFromPem(keys.privateKeyPem) },
    logger: silentLogger,
    metrics: registry,
    clock,
  });
  ingest = new GatewayIngest({
    bus: broker.bus,
    registry: gateways,
    sink: new InMemoryEventSink(),
    occupancy: new LiveOccupancy(),
    gateways: new GatewayStatusBoard(),
    bundleRequests: publisher,
    logger: silentLogger,
    metrics: registry,
  });
  await ingest.start();
  publisher.start(); // compiles every centre: the retained full bundle is waiting
  await publisher.settle();
  gateway = await connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
    clientId: "gw-gw-redu",
    username: "gw-redu",
    password: "secret-redu",
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  gateway.on("message", (topic, payload) => {
    inbox.push({
      kind: topic.endsWith("/delta") ? "bundleDelta" : "bundle",
      payload,
      at: performance.now(),
    });
  });
  await gateway.subscribeAsync({
    [topicFor("gw-redu", "bundle")]: { qos: 1 },
    [topicFor("gw-redu", "bundleDelta")]: { qos: 1 },
  });
});

afterAll(async () => {
  await gateway?.endAsync(true);
  await publisher?.stop();
  await ingest?.stop();
  await broker.stop();
});

async function next(kind: "bundle" | "bundleDelta", after: number, timeoutMs = 5_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = inbox.find((m) => m.kind === kind && m.at >= after);
    if (found) return found;
    if (performance.now() > deadline) throw new Error(`no ${kind} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("revocation reaches a connected gateway", () => {
  it("gets the retained full bundle on subscribing, and a verified delta within 2 s of a revocation", async () => {
    const initial = await next("bundle", 0);
    const held = openBundle(initial.payload, {
      trustedKeys,
      heldVersion: null,
      centre: "redu",
      now,
    }) as FullBundle;
    expect(held.credentials.find((c) => c.hash === hashOf("0402"))?.status).toBe("active");

    source.update("redu", (input) => ({
      ...input,
      badges: input.badges.map((b) =>
        b.credentialHash === hashOf("0402") ? { ...b, revokedAt: now } : b,
      ),
    }));
    const revokedAt = performance.now();
    publisher.onAccessRulesChanged(["redu"]);
    const arrived = await next("bundleDelta", revokedAt);
    const elapsedMs = arrived.at - revokedAt;

    const delta = openBundle(arrived.payload, {
      trustedKeys,
      heldVersion: held.version,
      centre: "redu",
      now,
    }) as DeltaBundle;
    expect(delta.upsert).toEqual([
      expect.objectContaining({ hash: hashOf("0402"), status: "revoked" }),
    ]);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it("answers the gateway's bundle/request over the broker with the current full bundle", async () => {
    const askedAt = performance.now();
    await gateway.publishAsync(
      topicFor("gw-redu", "bundleRequest"),
      encodeMessage("bundleRequest", { heldVersion: null, reason: "start" }),
      { qos: 1 },
    );
    const answer = await next("bundle", askedAt);
    const bundle = openBundle(answer.payload, {
      trustedKeys,
      heldVersion: null,
      centre: "redu",
      now,
    }) as FullBundle;
    expect(bundle.version).toBe(publisher.latest("redu")?.version);
    expect(bundle.credentials.find((c) => c.hash === hashOf("0402"))?.status).toBe("revoked");
  });
});
