import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, resolveConfig } from "../../src/config/configLoader.js";

const minimal = {
  gatewayId: "redu-1",
  centre: "redu",
  mqtt: { passwordFile: "/etc/passerelle/mqtt-secret" },
  trustedKeyFiles: ["/etc/passerelle/cloud-signing.pub.pem"],
};

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("gateway configuration", () => {
  it("fills in defaults", () => {
    const config = resolveConfig(minimal, {});
    expect(config.door).toEqual({ unlockMs: 5000, heldOpenMs: 30_000, lockMode: "fail-secure" });
    expect(config.mqtt.url).toBe("mqtt://127.0.0.1:1883");
    expect(config.mqtt.baseTopic).toBe("passerelle/v1");
    expect(config.outbox.capacity).toBe(100_000);
  });

  it("keeps the configured hardware as given, and defaults to simulated hardware", () => {
    const hardware = {
      reader: { adapter: "pcsc" },
      doors: [{ id: "main", lock: { adapter: "gpio", line: 17 } }],
    };
    expect(resolveConfig({ ...minimal, hardware }, {}).hardware).toEqual(hardware);
    expect(resolveConfig(minimal, {}).hardware).toEqual({ adapter: "sim" });
  });

  it("lets the environment override the file", () => {
    const config = resolveConfig(minimal, {
      PASSERELLE_MQTT_URL: "mqtts://broker.example:8883",
      PASSERELLE_DOOR_UNLOCK_MS: "7000",
      PASSERELLE_GATEWAY_ID: "arlon-2",
    });
    expect(config.mqtt.url).toBe("mqtts://broker.example:8883");
    expect(config.door.unlockMs).toBe(7000);
    expect(config.gatewayId).toBe("arlon-2");
    expect(config.mqtt.passwordFile).toBe("/etc/passerelle/mqtt-secret");
  });

  it("lists every problem at once", () => {
    const problems = problemsOf(() =>
      resolveConfig(
        {
          ...minimal,
          gatewayId: "Redu 1",
          door: { unlockMs: 10, lockMode: "open" },
          surprise: true,
        },
        { PASSERELLE_OUTBOX_CAPACITY: "lots" },
      ),
    );
    const text = problems.join("\n");
    expect(text).toContain("PASSERELLE_OUTBOX_CAPACITY");
    expect(text).toContain("/gatewayId");
    expect(text).toContain("/door/unlockMs");
    expect(text).toContain("/door/lockMode");
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it("requires a broker secret and consistent reconnect bounds", () => {
    const { mqtt: _mqtt, ...noSecret } = minimal;
    expect(problemsOf(() => resolveConfig(noSecret, {})).join()).toContain("password");
    const bounds = {
      ...minimal,
      mqtt: { ...minimal.mqtt, reconnectMinMs: 50_000, reconnectMaxMs: 2000 },
    };
    expect(problemsOf(() => resolveConfig(bounds, {})).join()).toContain("reconnectMinMs");
  });

  it("reads the commented example shipped in deploy/gateway", () => {
    const example = new URL("../../../deploy/gateway/gateway.example.jsonc", import.meta.url);
    const config = loadConfig(example.pathname, {});
    expect(config.gatewayId).toBe("redu-1");
    expect(config.door.lockMode).toBe("fail-secure");
  });

  it("reports an unreadable or non-JSON file", () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-config-"));
    const path = join(dir, "gateway.json");
    writeFileSync(path, "{ not json");
    expect(problemsOf(() => loadConfig(path, {}))[0]).toContain(path);
    expect(problemsOf(() => loadConfig(join(dir, "missing.json"), {}))[0]).toContain(
      "missing.json",
    );
    writeFileSync(path, JSON.stringify(minimal));
    expect(loadConfig(path, {}).centre).toBe("redu");
    expect(problemsOf(() => resolveConfig([1, 2], {}))[0]).toContain("JSON object");
  });
});
