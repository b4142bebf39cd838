import { encodeMessage, topicFor } from "@passerelle/protocol";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import { afterEach, expect, it } from "vitest";

/**
 * One suite every broker the cloud supports must pass (like aedes' shared persistence suite):
 * the embedded aedes with its authorize hooks, and Mosquitto with deploy/mosquitto/acl. Gateway
 * A must not publish to B's topics, nor subscribe to B's or to `#`, nor log in with a wrong
 * secret; retained statuses and last wills must work.
 */
export interface ConfinementTarget {
  url: string;
  /** Two gateways with their secrets. */
  gatewayA: { id: string; secret: string };
  gatewayB: { id: string; secret: string };
  /** The cloud's privileged user. */
  service: { username: string; password: string };
  /** aedes answers a refused SUBSCRIBE with 0x80; a broker may also grant and never deliver. */
  refusedSubscribeGetsFailureCode: boolean;
}

const settleMs = 300;
const clients: MqttClient[] = [];

function clientOptions(
  username: string,
  password: string,
  extra: IClientOptions = {},
): IClientOptions {
  return {
    username,
    password,
    clientId:
      username === "passerelle-cloud" ? `passerelle-cloud-${Math.random()}` : `gw-${username}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    clean: true,
    ...extra,
  };
}

async function connect(
  url: string,
  username: string,
  password: string,
  extra: IClientOptions = {},
) {
  const client = await connectAsync(url, clientOptions(username, password, extra));
  clients.push(client);
  return client;
}

/** Messages a client receives, by topic. */
function recorder(client: MqttClient) {
  const received: Array<{ topic: string; payload: string; retain: boolean }> = [];
  client.on("message", (topic, payload, packet) =>
    received.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  return received;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Subscribes and returns the SUBACK return code per filter. (subscribeAsync rejects as soon as
 * one code is a failure, without saying which.)
 */
function subscribeGranted(client: MqttClient, filters: string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    client.subscribe(
      Object.fromEntries(filters.map((f) => [f, { qos: 1 as const }])),
      // mqtt.js calls back with (error, subscriptions, SUBACK packet).
      (error, _subscriptions, packet) => {
        const codes = (packet as { granted?: number[] } | undefined)?.granted;
        if (!codes) return reject(error ?? new Error("no SUBACK"));
        resolve(Object.fromEntries(filters.map((f, i) => [f, codes[i] ?? -1])));
      },
    );
  });
}

/** Publishes and waits until the broker has handled it: PUBACK, or the connection closing. */
async function attemptPublish(client: MqttClient, topic: string, payload: string) {
  if (!client.connected) throw new Error("attemptPublish needs a connected client");
  const closed = new Promise<"closed">((resolve) => client.once("close", () => resolve("closed")));
  const outcome = await Promise.race([
    client.publishAsync(topic, payload, { qos: 1 }).then(
      () => "acked" as const,
      () => "closed" as const,
    ),
    closed,
  ]);
  return outcome;
}

export function describeConfinement(target: () => ConfinementTarget): void {
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  });

  it("refuses a wrong secret, an unknown user and a missing password", async () => {
    const { url, gatewayA } = target();
    await expect(connect(url, gatewayA.id, "not-the-secret")).rejects.toThrow();
    await expect(connect(url, "gw-nobody", "whatever")).rejects.toThrow();
    await expect(
      connectAsync(url, { ...clientOptions(gatewayA.id, ""), password: undefined }),
    ).rejects.toThrow();
    const ok = await connect(url, gatewayA.id, gatewayA.secret);
    expect(ok.connected).toBe(true);
  });

  it("never delivers what gateway A publishes on gateway B's topics", async () => {
    const { url, gatewayA, gatewayB, service } = target();
    const cloud = await connect(url, service.username, service.password);
    const heard = recorder(cloud);
    await cloud.subscribeAsync("passerelle/v1/#", { qos: 1 });
    for (const kind of ["events", "status"] as const) {
      // A fresh connection each time: aedes closes the connection of a refused publish.
      const a = await connect(url, gatewayA.id, gatewayA.secret);
      await attemptPublish(a, topicFor(gatewayB.id, kind), "forged by A");
      await a.endAsync(true);
    }
    const b = await connect(url, gatewayB.id, gatewayB.secret);
    await b.publishAsync(topicFor(gatewayB.id, "occupancy"), "marker from B", { qos: 1 });
    await until(() => heard.some((m) => m.payload === "marker from B"));
    expect(heard.filter((m) => m.payload === "forged by A")).toEqual([]);
  });

  it("never delivers to gateway A the cloud's messages for B, whatever A subscribes to", async () => {
    const { url, gatewayA, gatewayB, service, refusedSubscribeGetsFailureCode } = target();
    const a = await connect(url, gatewayA.id, gatewayA.secret);
    const heard = recorder(a);
    const byTopic = await subscribeGranted(a, [
      topicFor(gatewayB.id, "ack"),
      topicFor(gatewayB.id, "bundle"),
      "#",
      "passerelle/v1/gw/+/ack",
      topicFor(gatewayA.id, "ack"),
    ]);
    expect(byTopic[topicFor(gatewayA.id, "ack")]).toBe(1);
    if (refusedSubscribeGetsFailureCode) {
      expect(byTopic[topicFor(gatewayB.id, "ack")]).toBe(128);
      expect(byTopic["#"]).toBe(128);
      expect(byTopic["passerelle/v1/gw/+/ack"]).toBe(128);
    }
    const cloud = await connect(url, service.username, service.password);
    await cloud.publishAsync(topicFor(gatewayB.id, "ack"), "for B", { qos: 1 });
    await cloud.publishAsync(topicFor(gatewayB.id, "bundle"), "bundle for B", { qos: 1 });
    await cloud.publishAsync(topicFor(gatewayA.id, "ack"), "for A", { qos: 1 });
    await until(() => heard.some((m) => m.payload === "for A"));
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    expect(heard.map((m) => m.payload)).toEqual(["for A"]);
  });

  it("keeps a gateway's status retained and publishes its last will when it vanishes", async () => {
    const { url, gatewayA, service } = target();
    const statusTopic = topicFor(gatewayA.id, "status");
    const offline = encodeMessage("status", { state: "offline" }).toString();
    const a = await connect(url, gatewayA.id, gatewayA.secret, {
      will: { topic: statusTopic, payload: Buffer.from(offline), qos: 1, retain: true },
    });
    await a.publishAsync(statusTopic, "online-marker", { qos: 1, retain: true });

    const first = await connect(url, service.username, service.password);
    const seenFirst = recorder(first);
    await first.subscribeAsync(statusTopic, { qos: 1 });
    await until(() => seenFirst.some((m) => m.payload === "online-marker" && m.retain));

    a.stream.destroy(); // no DISCONNECT: the broker must publish the will ([MQTT-3.1.2-8])
    await until(() => seenFirst.some((m) => m.payload === offline));

    const later = await connect(url, service.username, service.password);
    const seenLater = recorder(later);
    await later.subscribeAsync(statusTopic, { qos: 1 });
    await until(() => seenLater.some((m) => m.payload === offline && m.retain));
  });

  it("never lets gateway A's last will land on gateway B's status", async () => {
    const { url, gatewayA, gatewayB, service } = target();
    const cloud = await connect(url, service.username, service.password);
    const heard = recorder(cloud);
    await cloud.subscribeAsync("passerelle/v1/#", { qos: 1 });
    const forged = await connect(url, gatewayA.id, gatewayA.secret, {
      will: {
        topic: topicFor(gatewayB.id, "status"),
        payload: Buffer.from("forged will"),
        qos: 1,
        retain: true,
      },
    }).catch(() => undefined);
    forged?.stream.destroy();
    const b = await connect(url, gatewayB.id, gatewayB.secret);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    await b.publishAsync(topicFor(gatewayB.id, "occupancy"), "marker from B", { qos: 1 });
    await until(() => heard.some((m) => m.payload === "marker from B"));
    expect(heard.filter((m) => m.payload === "forged will")).toEqual([]);
  });
}
