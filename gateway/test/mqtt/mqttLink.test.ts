import { encodeMessage, topicFor } from "@passerelle/protocol";
import {
  type MosquittoService,
  provideService,
  serviceOf,
  startMosquitto,
} from "@passerelle/testkit";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { type InboundKind, MqttLink } from "../../src/mqtt/mqttLink.js";

const broker = await provideService("mosquitto", { extraConfig: ["allow_anonymous true"] });

function waitFor<T>(
  what: string,
  register: (resolve: (value: T) => void) => void,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe.skipIf(!broker.available)("gateway MQTT link (real Mosquitto)", () => {
  let service: MosquittoService = serviceOf(broker);
  const links: MqttLink[] = [];
  const observers: MqttClient[] = [];

  function link(): MqttLink {
    const created = new MqttLink({
      gatewayId: "redu-1",
      url: service.url,
      password: "unused-on-an-anonymous-broker",
      baseTopic: "passerelle/v1",
      keepaliveSeconds: 5,
      reconnectMinMs: 100,
      reconnectMaxMs: 500,
      logger: silentLogger,
    });
    links.push(created);
    return created;
  }

  async function observer(): Promise<MqttClient> {
    const client = await connectAsync(service.url, { protocolVersion: 4, reconnectPeriod: 100 });
    observers.push(client);
    return client;
  }

  afterEach(async () => {
    await Promise.all(links.splice(0).map((l) => l.stop()));
    await Promise.all(observers.splice(0).map((c) => c.endAsync(true)));
  });
  afterAll(() => service.stop());

  it("publishes a retained status and receives messages on its own topics only", async () => {
    const gateway = link();
    const connected = waitFor<boolean>("connection", (done) =>
      gateway.on("connection", (up) => up && done(up)),
    );
    gateway.start();
    await connected;

    await gateway.publish("status", encodeMessage("status", { state: "offline" }), true);
    const cloud = await observer();
    const seen = waitFor<string>("retained status", (done) =>
      cloud.on("message", (_t, p) => done(p.toString())),
    );
    await cloud.subscribeAsync(topicFor("redu-1", "status"), { qos: 1 });
    expect(JSON.parse(await seen)).toEqual({ state: "offline" });

    const received = waitFor<[InboundKind, string]>("ack", (done) =>
      gateway.on("message", (kind, payload) => done([kind, payload.toString()])),
    );
    await cloud.publishAsync(topicFor("arlon-1", "ack"), '{"upToSeq":99}', { qos: 1 });
    await cloud.publishAsync(topicFor("redu-1", "ack"), '{"upToSeq":7}', { qos: 1 });
    expect(await received).toEqual(["ack", '{"upToSeq":7}']);
  });

  it("leaves an offline last will when its connection dies", async () => {
    const gateway = link();
    const connected = waitFor<boolean>("connection", (done) =>
      gateway.on("connection", (up) => up && done(up)),
    );
    gateway.start();
    await connected;
    const cloud = await observer();
    await cloud.subscribeAsync(topicFor("redu-1", "status"), { qos: 1 });
    const will = waitFor<string>("last will", (done) =>
      cloud.on("message", (_t, p) => done(p.toString())),
    );
    // Kill the TCP connection without a DISCONNECT packet, as a power cut would.
    (gateway as unknown as { client: MqttClient }).client.stream.destroy();
    expect(JSON.parse(await will)).toEqual({ state: "offline" });
  });

  it("reconnects and resubscribes after the broker comes back", async () => {
    const gateway = link();
    let connections = 0;
    gateway.on("connection", (up) => {
      if (up) connections += 1;
    });
    const first = waitFor<boolean>("first connection", (done) =>
      gateway.on("connection", (up) => up && done(up)),
    );
    gateway.start();
    await first;

    const down = waitFor<boolean>("disconnection", (done) =>
      gateway.on("connection", (up) => !up && done(up)),
    );
    const port = service.port;
    await service.stop();
    await down;
    await expect(
      gateway.publish("status", encodeMessage("status", { state: "offline" })),
    ).rejects.toThrow(/offline/);

    const again = waitFor<boolean>("reconnection", (done) =>
      gateway.on("connection", (up) => up && done(up)),
    );
    service = await startMosquitto({ port, extraConfig: ["allow_anonymous true"] });
    await again;
    expect(connections).toBe(2);

    const cloud = await observer();
    const received = waitFor<InboundKind>("command after restart", (done) =>
      gateway.on("message", (kind) => done(kind)),
    );
    await cloud.publishAsync(topicFor("redu-1", "command"), "signed-frame-goes-here", { qos: 1 });
    expect(await received).toBe("command");
  });
});
