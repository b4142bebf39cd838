import { connectAsync } from "mqtt";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { provideRestartable } from "../src/index.js";
import { tcpConnects } from "../src/tcpProbe.js";

// Outage tests stop a server of their own and start it again where their clients expect it.
const [postgres, mosquitto] = await Promise.all([
  provideRestartable("postgres"),
  provideRestartable("mosquitto"),
]);

async function query<T extends pg.QueryResultRow>(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgres.available)("a restartable PostgreSQL", () => {
  const service = postgres.available ? postgres.service : undefined;
  afterAll(() => service?.stop());

  it("refuses connections while halted and comes back on the same port with its data", async () => {
    const { url, restartable } = service as NonNullable<typeof service>;
    await query(url, "CREATE TABLE kept (word text); INSERT INTO kept VALUES ('still here')");
    await restartable.halt();
    await expect(query(url, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
    await restartable.resume();
    expect(await query(url, "SELECT word FROM kept")).toEqual([{ word: "still here" }]);
  });
});

describe.skipIf(!mosquitto.available)("a restartable Mosquitto", () => {
  const service = mosquitto.available ? mosquitto.service : undefined;
  afterAll(() => service?.stop());

  it("refuses connections while halted and accepts them again on the same port", async () => {
    const { url, host, port, restartable } = service as NonNullable<typeof service>;
    await restartable.halt();
    expect(await tcpConnects(host, port)).toBe(false);
    await restartable.resume();
    const client = await connectAsync(url, { reconnectPeriod: 0 });
    expect(client.connected).toBe(true);
    await client.endAsync();
  });
});

describe("a restartable server without its local binary", () => {
  const noBinaries = (env: Record<string, string>) => ({
    env,
    dockerAvailable: async () => true,
    findBinaries: () => undefined,
    warn: () => {},
  });

  it("fails in CI, even with Docker answering: a container cannot be stopped and started again", async () => {
    await expect(provideRestartable("postgres", {}, noBinaries({ CI: "true" }))).rejects.toThrow(
      /no local binary.*CI=true/,
    );
  });

  it("says why outside CI, for describe.skipIf", async () => {
    const provision = await provideRestartable("mosquitto", {}, noBinaries({}));
    expect(provision).toEqual({
      available: false,
      reason: expect.stringMatching(/no local binary/),
    });
  });
});
