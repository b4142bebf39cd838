import type { GatewayEvent } from "@passerelle/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GatewayConfig } from "../../src/config/configSchema.js";
import { createGatewayBus } from "../../src/core/busEvents.js";
import { silentLogger } from "../../src/core/logger.js";
import type { PartEvent } from "../../src/core/partTypes.js";
import { gatewayFeatures } from "../../src/features/featureList.js";
import { FeatureRunner } from "../../src/features/featureRunner.js";
import type { GatewayPorts } from "../../src/features/gatewayPorts.js";
import { bundle, credential, indexOf } from "../decision/bundleFixtures.js";

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse("2026-03-03T09:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

/** The real exitCounting feature on the bus, the bundle saying how door "main" is left. */
async function exitCounting(exitKind: "exit-button" | "free-egress" | "exit-reader") {
  const index = indexOf(
    bundle([credential("04A1B2C3")], {
      doors: [{ id: "main", name: "Entrée", direction: "in", zones: [], exitKind }],
    }),
  );
  const ports = {
    hardware: { doors: [{ id: "main", contact: {} }] },
    bundles: { current: () => index },
  } as unknown as GatewayPorts;
  const bus = createGatewayBus(silentLogger);
  const reported: PartEvent[] = [];
  bus.on("event.occurred", { name: "journal" }, ({ event }) => reported.push(event));
  const runner = new FeatureRunner(
    gatewayFeatures.filter((f) => f.name === "exitCounting"),
    {
      bus,
      logger: silentLogger,
      config: { centre: "redu" } as GatewayConfig,
      now: () => Date.now(),
      ports,
    },
  );
  await runner.start();
  let seq = 0;
  const recorded = (type: GatewayEvent["type"]) =>
    bus.emit("event.recorded", {
      event: {
        id: `e${++seq}`,
        seq,
        time: new Date().toISOString(),
        type,
        centre: "redu",
        door: "main",
      },
    });
  return { reported, recorded, runner };
}

describe("exit counting over the bus", () => {
  it("reports one door.exit for a button cycle at an exit-button door", async () => {
    const { reported, recorded, runner } = await exitCounting("exit-button");
    recorded("exit.requested");
    vi.advanceTimersByTime(300);
    recorded("door.opened");
    vi.advanceTimersByTime(1500);
    recorded("door.closed");
    vi.advanceTimersByTime(100);
    expect(reported).toEqual([
      {
        type: "door.exit",
        door: "main",
        direction: "out",
        time: "2026-03-03T09:00:01.900Z",
        detail: "exit-button",
      },
    ]);
    await runner.stop();
  });

  it("reads the door's kind from the bundle: the same cycle at an exit-reader door is no exit", async () => {
    const { reported, recorded, runner } = await exitCounting("exit-reader");
    recorded("exit.requested");
    recorded("door.opened");
    recorded("door.closed");
    vi.advanceTimersByTime(1000);
    expect(reported).toEqual([]);
    await runner.stop();
  });
});
