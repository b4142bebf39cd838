import { connectAsync, type MqttClient } from "mqtt";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { defaultDeps, provideService, serviceOf, startMosquitto } from "../src/index.js";

// Real processes: whatever the resolution order finds (env URL, Docker, local binary).
const [mosquitto, postgres, influx] = await Promise.all([
  provideService("mosquitto"),
  provideService("postgres"),
  provideService("influx"),
]);

function nextMessage(client: MqttClient): Promise<[string, Buffer]> {
  return new Promise((resolve) =>
    client.once("message", (topic, payload) => resolve([topic, payload])),
  );
}

describe.skipIf(!mosquitto.available)("Mosquitto", () => {
  afterAll(() => serviceOf(mosquitto).stop());

  it("delivers a published message to a subscriber", async () => {
    const { url } = serviceOf(mosquitto);
    const subscriber = await connectAsync(url, { reconnectPeriod: 0 });
    const publisher = await connectAsync(url, { reconnectPeriod: 0 });
    try {
      await subscriber.subscribeAsync("testkit/hello", { qos: 1 });
      const received = nextMessage(subscriber);
      await publisher.publishAsync("testkit/hello", "bonjour", { qos: 1 });
      const [topic, payload] = await received;
      expect(topic).toBe("testkit/hello");
      expect(payload.toString()).toBe("bonjour");
    } finally {
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    }
  });

  it("fails to start with the broker's own words when the config is wrong", async () => {
    const start = startMosquitto({ extraConfig: ["no_such_option true"] });
    await expect(start).rejects.toThrow(/mosquitto.*\n.*last lines[\s\S]*no_such_option/);
  });
});

describe.skipIf(!postgres.available)("PostgreSQL", () => {
  afterAll(() => serviceOf(postgres).stop());

  it("creates a table, inserts and reads back", async () => {
    const client = new pg.Client({ connectionString: serviceOf(postgres).url });
    await client.connect();
    try {
      await client.query("CREATE TABLE visit (id serial PRIMARY KEY, centre text NOT NULL)");
      await client.query("INSERT INTO visit (centre) VALUES ($1), ($2)", ["Redon", "Ploërmel"]);
      const result = await client.query("SELECT centre FROM visit ORDER BY id");
      expect(result.rows.map((row) => row.centre)).toEqual(["Redon", "Ploërmel"]);
    } finally {
      await client.end();
    }
  });

  it("gives each caller of a shared server its own database, dropped on stop", async () => {
    // The running server stands in for PASSERELLE_TEST_POSTGRES_URL.
    const env = { PASSERELLE_TEST_POSTGRES_URL: serviceOf(postgres).url };
    const shared = serviceOf(await provideService("postgres", {}, defaultDeps(env)));
    expect(shared.source).toBe("env");
    expect(shared.database).toMatch(/^passerelle_test_[0-9a-f]{12}$/);
    const databases = async () => {
      const client = new pg.Client({ connectionString: serviceOf(postgres).url });
      await client.connect();
      const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database");
      await client.end();
      return result.rows.map((row) => row.datname);
    };
    expect(await databases()).toContain(shared.database);
    await shared.stop();
    expect(await databases()).not.toContain(shared.database);
  });
});

describe.skipIf(!influx.available)("InfluxDB", () => {
  afterAll(() => serviceOf(influx).stop());

  async function query(q: string, db?: string) {
    const params = new URLSearchParams({ q, ...(db === undefined ? {} : { db }) });
    const response = await fetch(`${serviceOf(influx).url}/query`, {
      method: "POST",
      body: params,
    });
    expect(response.status).toBe(200);
    return response.json() as Promise<{ results: { series?: { values: unknown[][] }[] }[] }>;
  }

  it("writes a point with line protocol and reads it back", async () => {
    const db = `testkit_${Date.now()}`;
    await query(`CREATE DATABASE "${db}"`);
    const write = await fetch(`${serviceOf(influx).url}/write?db=${db}&precision=s`, {
      method: "POST",
      body: "occupancy,centre=redon count=7i 1700000000",
    });
    expect(write.status).toBe(204);
    const body = await query('SELECT "count" FROM "occupancy" WHERE "centre" = \'redon\'', db);
    expect(body.results[0]?.series?.[0]?.values).toEqual([["2023-11-14T22:13:20Z", 7]]);
  });
});
