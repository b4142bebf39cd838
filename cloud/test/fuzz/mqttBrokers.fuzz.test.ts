import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { topicFor } from "@passerelle/protocol";
import { type MosquittoService, serviceOf, writeMosquittoPasswordEntry } from "@passerelle/testkit";
import fc from "fast-check";
import { connectAsync } from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { provisionGateway } from "../../src/domain/gateways.js";
import { type RunningCloud, startCloud } from "../../src/server.js";
import { startDeployedMosquitto } from "../mocks/deployedMosquitto.js";
import { remainingLength } from "../security/rawMqtt.js";
import { admin, smallCentre } from "../support/fixtures.js";
import { nastyText } from "./badInput.js";
import { fuzzSeed, runsOr } from "./fuzzSettings.js";

/*
 * Generated malformed MQTT packets from anonymous clients, and generated bad payloads from an
 * authenticated gateway on every uplink topic, at the embedded aedes and at Mosquitto with
 * deploy/'s files: the cloud stays up (its health check answers, its ingest still acks a good
 * batch) and its memory stays bounded (issue 13, "Done when").
 */

/** A packet that is wrong somewhere: random bytes, a bad header, a lying length, junk CONNECT. */
const malformedPacket = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 512 }),
  fc
    .tuple(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 268_435_455 }),
      fc.uint8Array({ maxLength: 256 }),
    )
    .map(([type, length, body]) =>
      Buffer.concat([Buffer.from([type]), remainingLength(length), body]),
    ),
  fc
    .uint8Array({ maxLength: 128 })
    .map((junk) =>
      Buffer.concat([
        Buffer.from([0x10]),
        remainingLength(junk.length + 10),
        Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0xc2, 0, 60]),
        junk,
      ]),
    ),
  fc.constant(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f])),
);

/** Sends `bytes` on a new connection and waits until the broker closes it or 300 ms pass. */
function throwPacket(port: number, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 300);
    socket.on("error", done);
    socket.on("close", done);
  });
}

const uplinkKinds = ["events", "status", "occupancy", "bundleRequest"] as const;
const badPayload = fc.oneof(
  nastyText.map((text) => Buffer.from(text)),
  fc.jsonValue({ maxDepth: 3 }).map((json) => Buffer.from(JSON.stringify(json))),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from('{"events":[{"seq":1e400}]}')),
);

interface CloudUnderFuzz {
  cloud: RunningCloud;
  brokerPort: number;
  gateway: { id: string; secret: string };
}

async function fuzzCloud(target: CloudUnderFuzz) {
  const { cloud, brokerPort, gateway } = target;
  const rssBefore = process.memoryUsage().rss;
  await fc.assert(
    fc.asyncProperty(malformedPacket, (packet) => throwPacket(brokerPort, packet)),
    { numRuns: runsOr(25), seed: fuzzSeed },
  );
  const client = await connectAsync(`mqtt://127.0.0.1:${brokerPort}`, {
    clientId: `gw-${gateway.id}`,
    username: gateway.id,
    password: gateway.secret,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...uplinkKinds), badPayload, async (kind, payload) => {
      // A refused publish closes the connection on aedes; publish without waiting for it.
      if (client.connected) client.publish(topicFor(gateway.id, kind), payload, { qos: 0 });
    }),
    { numRuns: runsOr(40), seed: fuzzSeed },
  );
  await client.endAsync(true);
  const health = await fetch(`${cloud.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  // Memory: the fuzzing costs the test process (cloud and clients together) little.
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * 1024 * 1024);
}

async function cloudWithGateway(
  dataDir: string,
  broker: Parameters<typeof startCloud>[0]["broker"],
): Promise<{ cloud: RunningCloud; gateway: { id: string; secret: string } }> {
  const cloud = await startCloud({
    dataDir,
    http: { host: "127.0.0.1", port: 0 },
    broker,
    logLevel: "silent",
  });
  await smallCentre(cloud.services.deps, "redu");
  const credentials = await provisionGateway(cloud.services.deps, admin, {
    id: "gw-fuzz",
    centreId: "redu",
  });
  return { cloud, gateway: { id: "gw-fuzz", secret: credentials.secret } };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("fuzzing the brokers with malformed MQTT", () => {
  it("keeps the cloud up and its memory bounded: embedded aedes", {
    timeout: 300_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "passerelle-fuzz-"));
    dirs.push(dir);
    const { cloud, gateway } = await cloudWithGateway(dir, {
      kind: "embedded",
      config: { host: "127.0.0.1", port: 0 },
    });
    try {
      await fuzzCloud({ cloud, brokerPort: cloud.brokerPort, gateway });
    } finally {
      await cloud.stop();
    }
  });
});

const service = { username: "passerelle-cloud", password: "service-secret-fuzz" };
const mosquitto = await startDeployedMosquitto([], service);
afterAll(() => mosquitto.stop());

describe.skipIf(!mosquitto.provision.available)("fuzzing Mosquitto", () => {
  it("keeps the cloud up and its memory bounded: Mosquitto with deploy/", {
    timeout: 300_000,
  }, async () => {
    const url = serviceOf(mosquitto.provision).url;
    const dir = await mkdtemp(join(tmpdir(), "passerelle-fuzz-"));
    dirs.push(dir);
    const { cloud, gateway } = await cloudWithGateway(dir, {
      kind: "external",
      config: { url, ...service },
    });
    try {
      // Mosquitto learns the new gateway's secret as an operator adds it: entry, then reload.
      await writeMosquittoPasswordEntry(mosquitto.passwordFile, gateway.id, gateway.secret);
      await (serviceOf(mosquitto.provision) as MosquittoService).reload?.();
      await fuzzCloud({ cloud, brokerPort: Number(new URL(url).port), gateway });
    } finally {
      await cloud.stop();
    }
  });
});
