import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/configSchema.js";
import { createGatewayBus } from "../../src/core/busEvents.js";
import { silentLogger } from "../../src/core/logger.js";
import type { DoorUnit, PartEvent } from "../../src/core/partTypes.js";
import { gatewayFeatures } from "../../src/features/featureList.js";
import { FeatureRunner } from "../../src/features/featureRunner.js";
import type { GatewayPorts } from "../../src/features/gatewayPorts.js";
import { bundle, credential, indexOf } from "../decision/bundleFixtures.js";

const index = indexOf(bundle([credential("04A1B2C3", { staff: true })]));

/** The badge access and doors features of the real list, on fake ports that note each step. */
async function badgePath() {
  const steps: string[] = [];
  const door: DoorUnit = {
    id: "main",
    grant: () => steps.push("relay pulsed"),
    remoteUnlock: (ms) => steps.push(`remote unlock ${ms}`),
    setHeldOpenMs: (ms) => steps.push(`held open ${ms}`),
    status: () => ({ id: "main", lock: "locked", contact: "closed", alarm: null }),
    start: async () => undefined,
    stop: async () => undefined,
  };
  const ports = {
    doors: [door],
    bundles: { current: () => index },
    clock: { isTrusted: () => true },
  } as unknown as GatewayPorts;
  const bus = createGatewayBus(silentLogger);
  const events: PartEvent[] = [];
  bus.on("event.occurred", { name: "journal" }, ({ event }) => {
    steps.push(`recorded ${event.type}`);
    events.push(event);
  });
  const features = gatewayFeatures.filter((f) => f.name === "badgeAccess" || f.name === "doors");
  const runner = new FeatureRunner(features, {
    bus,
    logger: silentLogger,
    config: { centre: "redu", door: { unlockMs: 5000 } } as GatewayConfig,
    now: () => Date.parse("2026-03-03T09:00:00Z"),
    ports,
  });
  await runner.start();
  return { bus, steps, events, runner };
}

describe("badge to door over the bus", () => {
  it("pulses the relay before the access event is recorded, all within the emit", async () => {
    const { bus, steps, runner } = await badgePath();
    bus.emit("badge.read", {
      presentation: { readerId: "reader-0", uid: Buffer.from("04A1B2C3", "hex"), at: 0 },
    });
    expect(steps).toEqual(["relay pulsed", "recorded access"]);
    await runner.stop();
  });

  it("records a denied badge without touching the relay", async () => {
    const { bus, steps, runner } = await badgePath();
    bus.emit("badge.read", {
      presentation: { readerId: "reader-0", uid: Buffer.from("0BADBADB", "hex"), at: 0 },
    });
    expect(steps).toEqual(["recorded access"]);
    await runner.stop();
  });

  it("takes a badge at a door's inside reader as leaving through that door", async () => {
    const { bus, steps, events, runner } = await badgePath();
    bus.emit("badge.read", {
      presentation: { readerId: "main:exit-reader", uid: Buffer.from("04A1B2C3", "hex"), at: 0 },
      exitDoor: "main",
    });
    bus.emit("badge.read", {
      presentation: { readerId: "reader-0", uid: Buffer.from("04A1B2C3", "hex"), at: 0 },
    });
    expect(steps).toEqual(["relay pulsed", "recorded access", "relay pulsed", "recorded access"]);
    expect(events.map((e) => [e.type, e.door, e.direction, e.decision])).toEqual([
      ["access", "main", "out", "granted"],
      ["access", "main", "in", "granted"],
    ]);
    await runner.stop();
  });

  it("turns a remote unlock for an unknown door into a refused command", async () => {
    const { bus, steps, runner } = await badgePath();
    bus.emit("command.unlock", { door: "side", durationMs: undefined, by: "ops" });
    bus.emit("command.unlock", { door: undefined, durationMs: undefined, by: "ops" });
    expect(steps).toEqual([
      "recorded command.rejected",
      "remote unlock 5000",
      "recorded remote.unlock",
    ]);
    await runner.stop();
  });
});
