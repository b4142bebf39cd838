import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/auditLog.js";
import { type CloudSigningKey, loadOrCreateSigningKey } from "../../src/bundles/signingKeyFile.js";
import { cloudEventBus } from "../../src/bus/cloudEvents.js";
import { serviceDeps, systemClock } from "../../src/domain/serviceDeps.js";
import { cloudFeatures } from "../../src/features/cloudFeatures.js";
import { domainEvents } from "../../src/features/domainEvents.js";
import { cloudApi } from "../../src/http/api.js";
import { openStore, type Store } from "../../src/store/openStore.js";

describe("the cloud's feature list (features/cloudFeatures.ts)", () => {
  let dataDir: string;
  let store: Store;
  let signingKey: CloudSigningKey;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "passerelle-features-"));
    const logger = pino({ level: "silent" });
    store = await openStore({ dataDir, logger });
    signingKey = await loadOrCreateSigningKey(dataDir, logger);
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function build() {
    const logger = pino({ level: "silent" });
    const bus = cloudEventBus(logger);
    const auditLog = new AuditLog(store, systemClock);
    const deps = serviceDeps(store, { logger, hooks: domainEvents(bus, auditLog, systemClock) });
    const features = cloudFeatures({
      version: "test",
      http: { host: "127.0.0.1", port: 0 },
      broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
      noShowSweepMs: 60_000,
      api: cloudApi,
      deps,
      bus,
      auditLog,
      signingKey,
      logger,
      registry: new Registry(),
    });
    return { bus, deps, features };
  }

  it("starts the caches first, the alarms before MQTT, then sessions, HTTP and the sweep", () => {
    const { features } = build();
    expect(features.list.map((feature) => feature.name)).toEqual([
      "principalCache",
      "availabilityCache",
      // Listening before the broker replays the retained statuses.
      "alarms",
      "mqtt",
      "presenceSessions",
      "http",
      "noShowSweep",
    ]);
  });

  it("turns the domain hooks into bus events the started features hear", async () => {
    const { deps, features } = build();
    const [principalCache, availabilityCache] = features.list;
    await principalCache?.start();
    await availabilityCache?.start();
    const cleared: string[] = [];
    const { principals, availability } = features.services;
    principals.clear = () => cleared.push("principals");
    availability.invalidate = (centres) => cleared.push(`availability:${centres.join(",")}`);
    deps.hooks.onPrincipalsChanged?.();
    deps.hooks.onAccessRulesChanged(["redu"]);
    expect(cleared).toEqual(["principals", "availability:redu"]);

    await availabilityCache?.stop();
    deps.hooks.onAccessRulesChanged(["redu"]);
    expect(cleared).toHaveLength(2);
    await principalCache?.stop();
  });
});
