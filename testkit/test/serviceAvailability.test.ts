import { describe, expect, it, vi } from "vitest";
import type { BinaryLookup } from "../src/binaries.js";
import type { Env } from "../src/dockerProbe.js";
import { TestkitError } from "../src/errors.js";
import { provideService } from "../src/provideService.js";
import { planService, reportUnavailable } from "../src/serviceAvailability.js";

const noBinaries: BinaryLookup = () => undefined;
const allBinaries: BinaryLookup = (kind) =>
  ({
    mosquitto: { mosquitto: "/fake/mosquitto" },
    postgres: { initdb: "/fake/initdb", postgres: "/fake/postgres" },
    influx: { influxd: "/fake/influxd" },
    victoriaMetrics: { victoriaMetrics: "/fake/victoria-metrics" },
  })[kind] as never;

function deps(env: Env, docker = false, findBinaries = noBinaries) {
  const dockerAvailable = vi.fn(async () => docker);
  return { env, dockerAvailable, findBinaries, warn: vi.fn() };
}

describe("planService", () => {
  it("uses the URL from the environment first, without probing Docker", async () => {
    const d = deps({ PASSERELLE_TEST_POSTGRES_URL: "postgresql://u@db:5432/x" }, true, allBinaries);
    await expect(planService("postgres", d)).resolves.toEqual({
      source: "env",
      url: "postgresql://u@db:5432/x",
    });
    expect(d.dockerAvailable).not.toHaveBeenCalled();
  });

  it("reads one variable per service", async () => {
    const env = {
      PASSERELLE_TEST_MQTT_URL: "mqtt://broker:1883",
      PASSERELLE_TEST_INFLUX_URL: "http://influx:8086",
    };
    expect(await planService("mosquitto", deps(env))).toMatchObject({ url: "mqtt://broker:1883" });
    expect(await planService("influx", deps(env))).toMatchObject({ url: "http://influx:8086" });
    expect(await planService("postgres", deps(env))).toMatchObject({ source: "unavailable" });
  });

  it("ignores an empty variable", async () => {
    const plan = await planService("influx", deps({ PASSERELLE_TEST_INFLUX_URL: " " }, true));
    expect(plan).toEqual({ source: "testcontainers" });
  });

  it("prefers Docker to a local binary", async () => {
    expect(await planService("influx", deps({}, true, allBinaries))).toEqual({
      source: "testcontainers",
    });
  });

  it("falls back to the local binary", async () => {
    expect(await planService("postgres", deps({}, false, allBinaries))).toEqual({
      source: "local-binary",
      binaries: { initdb: "/fake/initdb", postgres: "/fake/postgres" },
    });
  });

  it("skips the URL when the caller needs its own broker config", async () => {
    const d = deps({ PASSERELLE_TEST_MQTT_URL: "mqtt://broker:1883" }, false, allBinaries);
    const plan = await planService("mosquitto", d, { useEnvUrl: false });
    expect(plan).toMatchObject({ source: "local-binary" });
  });

  it("says why nothing is available", async () => {
    const plan = await planService("mosquitto", deps({}));
    expect(plan).toMatchObject({ source: "unavailable" });
    expect(plan.source === "unavailable" && plan.reason).toContain("PASSERELLE_TEST_MQTT_URL");
  });
});

describe("reportUnavailable", () => {
  it("warns loudly with the package to install and lets the caller skip", () => {
    const warn = vi.fn();
    expect(reportUnavailable("influx", "InfluxDB: nothing", {}, warn)).toEqual({
      available: false,
      reason: "InfluxDB: nothing",
    });
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]?.[0]).toContain("apt-get install influxdb");
    expect(warn.mock.calls[0]?.[0]).toContain("SKIPPED");
  });

  it.each(["true", "1"])("throws instead of skipping when CI=%s", (ci) => {
    const warn = vi.fn();
    const report = () => reportUnavailable("postgres", "PostgreSQL: nothing", { CI: ci }, warn);
    expect(report).toThrow(TestkitError);
    expect(report).toThrow(/apt-get install postgresql/);
    expect(warn).not.toHaveBeenCalled();
  });

  it("skips when CI is set to false", () => {
    const result = reportUnavailable("mosquitto", "x", { CI: "false" }, vi.fn());
    expect(result.available).toBe(false);
  });
});

describe("provideService without any service", () => {
  it("returns the reason on a laptop", async () => {
    const d = deps({});
    const provision = await provideService("mosquitto", {}, d);
    expect(provision).toMatchObject({ available: false });
    expect(d.warn).toHaveBeenCalledOnce();
  });

  it("fails the run in CI", async () => {
    const provision = provideService("influx", {}, deps({ CI: "true" }));
    await expect(provision).rejects.toMatchObject({ code: "service.unavailable" });
  });

  it("does not use the broker URL when a password or ACL file is given", async () => {
    const d = deps({ PASSERELLE_TEST_MQTT_URL: "mqtt://broker:1883" });
    const provision = await provideService("mosquitto", { aclFile: "/etc/acl" }, d);
    expect(provision).toMatchObject({ available: false });
  });

  it("hands over an external broker as is", async () => {
    const d = deps({ PASSERELLE_TEST_MQTT_URL: "mqtt://broker.example:1884" });
    const provision = await provideService("mosquitto", {}, d);
    expect(provision).toMatchObject({
      available: true,
      service: { source: "env", host: "broker.example", port: 1884 },
    });
  });
});
