import { topicFor } from "@passerelle/protocol";
import { connectAsync } from "mqtt";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedBroker } from "../../src/broker/embeddedBroker.js";
import { InMemoryGateways, silentLogger } from "../mocks/mqttPorts.js";
import { describeConfinement } from "./brokerConfinementSuite.js";

const registry = new Registry();
const gateways = new InMemoryGateways()
  .add("gw-a", "redu", "secret-a")
  .add("gw-b", "namur", "secret-b");
const broker = new EmbeddedBroker({
  verifier: gateways,
  logger: silentLogger,
  registry,
  config: { host: "127.0.0.1", port: 0 },
});

beforeAll(() => broker.start());
afterAll(() => broker.stop());

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value ?? 0;
}

describe("embedded aedes broker: gateway confinement", () => {
  describeConfinement(() => ({
    url: `mqtt://127.0.0.1:${broker.port}`,
    gatewayA: { id: "gw-a", secret: "secret-a" },
    gatewayB: { id: "gw-b", secret: "secret-b" },
    service: broker.serviceCredentials,
    refusedSubscribeGetsFailureCode: true,
  }));
});

describe("embedded aedes broker: specifics", () => {
  const url = () => `mqtt://127.0.0.1:${broker.port}`;
  const base = { protocolVersion: 4 as const, reconnectPeriod: 0, connectTimeout: 5_000 };

  it("counts refused logins, publishes and subscriptions by reason", async () => {
    const before = {
      login: await counter("passerelle_mqtt_auth_failures_total", { reason: "credentials" }),
      publish: await counter("passerelle_mqtt_publish_refused_total", {
        reason: "foreign-gateway",
      }),
      subscribe: await counter("passerelle_mqtt_subscribe_refused_total", { reason: "wildcard" }),
    };
    await expect(
      connectAsync(url(), { ...base, clientId: "gw-gw-a", username: "gw-a", password: "nope" }),
    ).rejects.toThrow();
    const a = await connectAsync(url(), {
      ...base,
      clientId: "gw-gw-a",
      username: "gw-a",
      password: "secret-a",
    });
    await a.subscribeAsync("#", { qos: 1 }).catch(() => undefined); // SUBACK 0x80
    const closed = new Promise<void>((resolve) => a.once("close", () => resolve()));
    a.publish(topicFor("gw-b", "events"), "x", { qos: 1 });
    await closed; // [MQTT-3.3.5-2]: a refused PUBLISH ends the connection
    await a.endAsync(true);
    expect(await counter("passerelle_mqtt_auth_failures_total", { reason: "credentials" })).toBe(
      before.login + 1,
    );
    expect(
      await counter("passerelle_mqtt_publish_refused_total", { reason: "foreign-gateway" }),
    ).toBe(before.publish + 1);
    expect(await counter("passerelle_mqtt_subscribe_refused_total", { reason: "wildcard" })).toBe(
      before.subscribe + 1,
    );
  });

  it("refuses a gateway that takes another gateway's client id", async () => {
    await expect(
      connectAsync(url(), { ...base, clientId: "gw-gw-b", username: "gw-a", password: "secret-a" }),
    ).rejects.toThrow(/identifier/i);
  });

  it("refuses a gateway that retains events (only statuses are retained)", async () => {
    const a = await connectAsync(url(), {
      ...base,
      clientId: "gw-gw-a",
      username: "gw-a",
      password: "secret-a",
    });
    const closed = new Promise<void>((resolve) => a.once("close", () => resolve()));
    a.publish(topicFor("gw-a", "events"), "x", { qos: 1, retain: true });
    await closed;
    await a.endAsync(true);
    expect(
      await counter("passerelle_mqtt_publish_refused_total", { reason: "retain-not-allowed" }),
    ).toBeGreaterThan(0);
  });

  it("gives the in-process bus every gateway message and lets it publish retained", async () => {
    const seen: string[] = [];
    const unsubscribe = await broker.bus.subscribe(
      "passerelle/v1/gw/+/events",
      (topic, payload) => {
        seen.push(`${topic}=${payload.toString()}`);
      },
    );
    const a = await connectAsync(url(), {
      ...base,
      clientId: "gw-gw-a",
      username: "gw-a",
      password: "secret-a",
    });
    await a.publishAsync(topicFor("gw-a", "events"), "hello", { qos: 1 });
    expect(seen).toEqual([`${topicFor("gw-a", "events")}=hello`]);

    await broker.bus.publish(topicFor("gw-a", "bundle"), Buffer.from("retained bundle"), {
      qos: 1,
      retain: true,
    });
    const received = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      a.once("message", (_t, payload, packet) =>
        resolve({ payload: payload.toString(), retain: packet.retain }),
      ),
    );
    await a.subscribeAsync(topicFor("gw-a", "bundle"), { qos: 1 });
    expect(await received).toEqual({ payload: "retained bundle", retain: true });
    await unsubscribe();
    await a.endAsync(true);
  });

  it("refuses logins with 'server unavailable' when the credential store fails", async () => {
    const failing = new EmbeddedBroker({
      verifier: { verify: () => Promise.reject(new Error("database is down")) },
      logger: silentLogger,
      registry: new Registry(),
      config: { host: "127.0.0.1", port: 0 },
    });
    await failing.start();
    try {
      await expect(
        connectAsync(`mqtt://127.0.0.1:${failing.port}`, {
          ...base,
          clientId: "gw-gw-a",
          username: "gw-a",
          password: "secret-a",
        }),
      ).rejects.toThrow(/unavailable/i);
    } finally {
      await failing.stop();
    }
  });

  it("closes a revoked gateway's connections, even a login checked before the revocation", async () => {
    // The credential check waits on the test: a revocation lands while it is in progress.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    let entered: () => void = () => {};
    const checking = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slow = new EmbeddedBroker({
      verifier: {
        verify: async (username, secret) => {
          if (holding) {
            entered();
            await held;
          }
          return gateways.verify(username, secret);
        },
      },
      logger: silentLogger,
      registry: new Registry(),
      config: { host: "127.0.0.1", port: 0 },
    });
    await slow.start();
    const login = (clientId: string) =>
      connectAsync(`mqtt://127.0.0.1:${slow.port}`, {
        ...base,
        clientId,
        username: "gw-a",
        password: "secret-a",
      });
    try {
      const open = await login("gw-gw-a");
      const other = await connectAsync(`mqtt://127.0.0.1:${slow.port}`, {
        ...base,
        clientId: "gw-gw-b",
        username: "gw-b",
        password: "secret-b",
      });
      const closed = new Promise<void>((resolve) => open.once("close", () => resolve()));
      holding = true;
      const racing = login("gw-gw-a:2");
      racing.catch(() => undefined);
      await checking; // the racing login is in its credential check
      expect(slow.disconnectGateway("gw-a")).toBe(1);
      await closed;
      release();
      await expect(racing).rejects.toThrow(/bad username or password/i);
      expect(other.connected).toBe(true); // another gateway is not affected
      holding = false;
      // Credentials still valid in the store (only the broker was told): a new login works.
      const again = await login("gw-gw-a");
      expect(again.connected).toBe(true);
      await Promise.all([open, other, again].map((c) => c.endAsync(true)));
    } finally {
      release();
      await slow.stop();
    }
  });
});
