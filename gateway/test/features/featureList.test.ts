import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/configSchema.js";
import { createGatewayBus, type GatewayEventName } from "../../src/core/busEvents.js";
import { silentLogger } from "../../src/core/logger.js";
import { gatewayFeatures } from "../../src/features/featureList.js";
import type { GatewayPorts } from "../../src/features/gatewayPorts.js";

/** A stand-in for any port: every property and every call gives itself back. */
const anything: unknown = new Proxy(() => undefined, {
  get: (_target, key) => (key === "then" ? undefined : anything),
  apply: () => anything,
});

describe("the feature list", () => {
  it("says exactly what each feature listens to", () => {
    const ports = { ...(anything as object), doors: [anything], occupancy: anything };
    const config = {
      centre: "redu",
      gatewayId: "redu-1",
      dataDir: mkdtempSync(join(tmpdir(), "gw-features-")),
      outbox: { batchSize: 10, ackTimeoutMs: 1000 },
      door: { unlockMs: 5000 },
    } as GatewayConfig;
    for (const definition of gatewayFeatures) {
      const heard = new Set<GatewayEventName>();
      definition.create({
        bus: createGatewayBus(silentLogger),
        logger: silentLogger,
        config,
        now: () => 0,
        ports: new Proxy(ports, {
          get: (target, key) => (key in target ? Reflect.get(target, key) : anything),
        }) as unknown as GatewayPorts,
        on: (event) => heard.add(event),
      });
      expect([...heard].sort(), definition.name).toEqual([...definition.listensTo].sort());
    }
  });

  it("names each feature once", () => {
    const names = gatewayFeatures.map((feature) => feature.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
