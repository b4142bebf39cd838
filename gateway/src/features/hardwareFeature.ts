import type { Unsubscribe } from "../hardware/ports.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/** Reader status as the event the cloud receives. */
function readerEventType(state: "connected" | "disconnected" | "error") {
  return state === "connected"
    ? "reader.connected"
    : state === "error"
      ? "reader.error"
      : "reader.disconnected";
}

/**
 * The hardware adapters' lifecycle, and the reader's voice on the bus: each badge as
 * `badge.read`, each status change as an event and as `reader.statusChanged`.
 */
export function createHardwareFeature({ bus, on, ports }: FeatureContext): GatewayFeature {
  const reader = ports.hardware.reader;
  on("access.decided", ({ readerId, outcome }) => {
    if (readerId === reader.id) reader.signal?.(outcome);
  });
  const unsubscribes: Unsubscribe[] = [];
  return {
    async start() {
      unsubscribes.push(
        reader.onBadge((presentation) => bus.emit("badge.read", { presentation })),
        reader.onStatus((status) => {
          bus.emit("event.occurred", {
            event: {
              type: readerEventType(status.state),
              ...(status.error ? { detail: status.error.slice(0, 200) } : {}),
            },
          });
          bus.emit("reader.statusChanged", { status });
        }),
      );
      await ports.hardware.start();
    },
    async stop() {
      await ports.hardware.stop().catch(() => undefined);
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    },
  };
}
