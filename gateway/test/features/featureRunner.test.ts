import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/configSchema.js";
import { createGatewayBus } from "../../src/core/busEvents.js";
import { silentLogger } from "../../src/core/logger.js";
import type { FeatureDefinition } from "../../src/features/feature.js";
import { FeatureRunner } from "../../src/features/featureRunner.js";
import type { FeatureDeps, GatewayPorts } from "../../src/features/gatewayPorts.js";

function deps(): FeatureDeps {
  return {
    bus: createGatewayBus(silentLogger),
    logger: silentLogger,
    config: {} as GatewayConfig,
    now: () => 0,
    ports: {} as GatewayPorts,
  };
}

/** A feature that notes its start and stop, and listens to link.up. */
function noting(name: string, log: string[], failStart = false): FeatureDefinition {
  return {
    name,
    listensTo: ["link.up"],
    create: ({ on }) => {
      on("link.up", () => log.push(`${name} heard link.up`));
      return {
        start() {
          if (failStart) throw new Error(`${name} cannot start`);
          log.push(`${name} started`);
        },
        stop() {
          log.push(`${name} stopped`);
        },
      };
    },
  };
}

describe("feature runner", () => {
  it("starts the features in order and stops them in reverse, removing their listeners", async () => {
    const log: string[] = [];
    const shared = deps();
    const runner = new FeatureRunner([noting("a", log), noting("b", log)], shared);
    await runner.start();
    shared.bus.emit("link.up", {});
    await runner.stop();
    shared.bus.emit("link.up", {});
    expect(log).toEqual([
      "a started",
      "b started",
      "a heard link.up",
      "b heard link.up",
      "b stopped",
      "a stopped",
    ]);
    expect(shared.bus.listenerCount("link.up")).toBe(0);
  });

  it("stops what started when a later feature fails, and removes every listener", async () => {
    const log: string[] = [];
    const shared = deps();
    const runner = new FeatureRunner(
      [noting("a", log), noting("b", log, true), noting("c", log)],
      shared,
    );
    await expect(runner.start()).rejects.toThrow("b cannot start");
    expect(log).toEqual(["a started", "a stopped"]);
    expect(shared.bus.listenerCount("link.up")).toBe(0);
  });

  it("refuses a listener the feature list does not declare", async () => {
    const sneaky: FeatureDefinition = {
      name: "sneaky",
      listensTo: ["link.up"],
      create: ({ on }) => {
        on("badge.read", () => undefined);
        return { start: () => undefined };
      },
    };
    const shared = deps();
    await expect(new FeatureRunner([sneaky], shared).start()).rejects.toThrow(
      "feature sneaky listens to badge.read, which the feature list does not say",
    );
    expect(shared.bus.listenerCount("badge.read")).toBe(0);
  });
});

describe("feature runner, two phases", () => {
  it("subscribes every feature before the first one starts", async () => {
    const heard: string[] = [];
    const shared = deps();
    const early: FeatureDefinition = {
      name: "early",
      listensTo: [],
      create: ({ bus }) => ({ start: () => bus.emit("link.up", {}) }),
    };
    const late: FeatureDefinition = {
      name: "late",
      listensTo: ["link.up"],
      create: ({ on }) => {
        on("link.up", () => heard.push("late heard what early said at its start"));
        return { start: () => undefined };
      },
    };
    await new FeatureRunner([early, late], shared).start();
    expect(heard).toEqual(["late heard what early said at its start"]);
  });
});
