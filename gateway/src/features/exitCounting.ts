import { ExitCounter } from "../doorControl/exitCounter.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Anonymous exits at each door by its kind in the bundle in force (occupancy/exitCounter.ts):
 * listens to the recorded door events and grants, and reports each completed exit cycle as a
 * `door.exit` event, which the occupancy feature then counts like any recorded event.
 */
export function createExitCounting({
  on,
  bus,
  ports,
  config,
  logger,
}: FeatureContext): GatewayFeature {
  const exits = new ExitCounter({
    centre: config.centre,
    doors: ports.hardware.doors.map((door) => ({
      id: door.id,
      hasContact: door.contact !== undefined,
    })),
    exitKindOf: (doorId) => ports.bundles.current()?.doors.get(doorId)?.exitKind,
    record: (event) => bus.emit("event.occurred", { event }),
    logger,
  });
  on("event.recorded", ({ event }) => exits.record(event));
  return {
    start() {},
    stop() {
      exits.stop();
    },
  };
}
