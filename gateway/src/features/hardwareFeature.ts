import { gatewayReaders } from "../hardware/createHardware.js";
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
 * The hardware adapters' lifecycle, and the readers' voice on the bus: each badge as
 * `badge.read` (with the door for an exit reader), each status change as an event (an exit
 * reader's names its door) and as `reader.statusChanged`.
 */
export function createHardwareFeature({ bus, on, ports }: FeatureContext): GatewayFeature {
  const readers = gatewayReaders(ports.hardware);
  on("access.decided", ({ readerId, outcome }) => {
    for (const { reader } of readers) if (readerId === reader.id) reader.signal?.(outcome);
  });
  const unsubscribes: Unsubscribe[] = [];
  return {
    async start() {
      for (const { reader, exitDoor } of readers) {
        unsubscribes.push(
          reader.onBadge((presentation) =>
            bus.emit(
              "badge.read",
              exitDoor === undefined ? { presentation } : { presentation, exitDoor },
            ),
          ),
          reader.onStatus((status) => {
            bus.emit("event.occurred", {
              event: {
                type: readerEventType(status.state),
                ...(exitDoor === undefined ? {} : { door: exitDoor }),
                ...(status.error ? { detail: status.error.slice(0, 200) } : {}),
              },
            });
            bus.emit("reader.statusChanged", { status });
          }),
        );
      }
      await ports.hardware.start();
    },
    async stop() {
      await ports.hardware.stop().catch(() => undefined);
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
    },
  };
}
