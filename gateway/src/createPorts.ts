import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Door, encodeMessage, trustedKeysFromPem } from "@passerelle/protocol";
import { BundleStore } from "./bundleStore/bundleStore.js";
import { ClockGuard } from "./clockGuard/clockGuard.js";
import type { GatewayConfig } from "./config/configSchema.js";
import type { GatewayBus } from "./core/busEvents.js";
import type { Logger } from "./core/logger.js";
import type { GatewayParts, GatewayPorts, PartsContext } from "./features/gatewayPorts.js";
import { MqttLink } from "./mqtt/mqttLink.js";

const readText = (path: string) => readFileSync(path, "utf8");

export interface CreatePortsOptions {
  config: GatewayConfig;
  logger: Logger;
  bus: GatewayBus;
  now: () => number;
  parts: (context: PartsContext) => Promise<GatewayParts>;
}

/**
 * Builds every service of the gateway before any feature starts, so that nothing is ever
 * "not started yet": the clock guard, the MQTT link, the bundle store and the parts (hardware,
 * doors, outbox, occupancy). Their callbacks only say on the bus what happened; the features
 * decide what follows.
 */
export async function createPorts(options: CreatePortsOptions): Promise<GatewayPorts> {
  const { config, logger, bus, now } = options;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const trustedKeys = trustedKeysFromPem(config.trustedKeyFiles.map(readText));
  const password = config.mqtt.password ?? readText(config.mqtt.passwordFile ?? "").trim();

  const clock = new ClockGuard({
    file: join(config.dataDir, "clock.json"),
    toleranceMs: config.clock.toleranceMs,
    now,
    logger,
    onChange: (trusted, at) => bus.emit("clock.trustChanged", { trusted, at }),
  });
  const link = new MqttLink({
    gatewayId: config.gatewayId,
    url: config.mqtt.url,
    password,
    baseTopic: config.mqtt.baseTopic,
    keepaliveSeconds: config.mqtt.keepaliveSeconds,
    reconnectMinMs: config.mqtt.reconnectMinMs,
    reconnectMaxMs: config.mqtt.reconnectMaxMs,
    tls: {
      ...(config.mqtt.caFile ? { ca: readFileSync(config.mqtt.caFile) } : {}),
      ...(config.mqtt.certFile ? { cert: readFileSync(config.mqtt.certFile) } : {}),
      ...(config.mqtt.keyFile ? { key: readFileSync(config.mqtt.keyFile) } : {}),
    },
    logger,
  });
  const bundles = new BundleStore({
    directory: join(config.dataDir, "bundles"),
    centre: config.centre,
    trustedKeys,
    now,
    logger,
    requestFull: (reason) => bus.emit("bundle.requested", { reason }),
    onApplied: (index) =>
      bus.emit("bundle.applied", {
        version: index.version,
        issuedAt: index.issuedAt,
        heldOpenMs: heldOpenTimes(index.doors.values()),
      }),
    onRejected: (code) => bus.emit("bundle.rejected", { code }),
  });
  const parts = await options.parts({
    record: (event) => bus.emit("event.occurred", { event }),
    currentIndex: () => bundles.current(),
    publishOccupancy: (sample) => link.publish("occupancy", encodeMessage("occupancy", sample)),
  });
  if (parts.doors.length === 0) {
    parts.outbox.close();
    throw new Error("the gateway needs at least one door");
  }
  return { ...parts, link, bundles, clock, trustedKeys };
}

/** The held-open times a bundle's doors carry, by door id. */
function heldOpenTimes(doors: Iterable<Door>): ReadonlyMap<string, number> {
  const times = new Map<string, number>();
  for (const door of doors) if (door.heldOpenMs !== undefined) times.set(door.id, door.heldOpenMs);
  return times;
}
