import { expect, it } from "vitest";
import { UsageError } from "../../src/cli/cliIo.js";
import { serveConfig } from "../../src/cli/serveOptions.js";

const base = { "data-dir": "/tmp/x" };

it("writes no time series without --influx-url", () => {
  expect(serveConfig(base, {}).timeSeries).toBeUndefined();
});

it("defaults to the v1 client and database passerelle; the password only from the environment", () => {
  const config = serveConfig(
    { ...base, "influx-url": "http://127.0.0.1:8086", "influx-username": "cloud" },
    { PASSERELLE_INFLUX_PASSWORD: "secret" },
  );
  expect(config.timeSeries).toEqual({
    client: "v1",
    url: "http://127.0.0.1:8086",
    database: "passerelle",
    username: "cloud",
    password: "secret",
  });
});

it("takes the v2 client with org, bucket (default: the database name) and token from the environment", () => {
  const config = serveConfig(base, {
    PASSERELLE_INFLUX_URL: "https://influx.example:8086",
    PASSERELLE_INFLUX_CLIENT: "v2",
    PASSERELLE_INFLUX_DB: "network",
    PASSERELLE_INFLUX_TOKEN: "tok",
  });
  expect(config.timeSeries).toEqual({
    client: "v2",
    url: "https://influx.example:8086",
    org: "passerelle",
    bucket: "network",
    token: "tok",
  });
});

it("names a wrong client or URL", () => {
  expect(() => serveConfig({ ...base, "influx-client": "v3" }, {})).toThrow(UsageError);
  expect(() => serveConfig({ ...base, "influx-client": "v3" }, {})).toThrow(/--influx-client/);
  expect(() => serveConfig({ ...base, "influx-url": "influx:8086" }, {})).toThrow(/--influx-url/);
});
