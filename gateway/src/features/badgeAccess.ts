import { handleBadge } from "../access/badgeFlow.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Badge to door. Everything here is synchronous and free of disk and network waits before the
 * relay: the bus delivers synchronously, so `access.granted` has pulsed the lock (doors
 * feature) before the access event is reported, and the outbox append comes after that.
 */
export function createBadgeAccess({ on, bus, ports, config, now }: FeatureContext): GatewayFeature {
  // The entry reader stands at the first door; exit readers say their door (badge.read).
  const readerDoor = ports.doors[0];
  if (readerDoor === undefined) throw new Error("the gateway needs at least one door");
  on("badge.read", ({ presentation, exitDoor }) => {
    const result = handleBadge(
      {
        centre: config.centre,
        // An inside reader's badge is someone leaving through its door (an attributable exit:
        // presence closes their session). Otherwise the bundle in force says whether the
        // entry reader's door leads out.
        door:
          exitDoor !== undefined
            ? { id: exitDoor, direction: "out" }
            : { id: readerDoor.id, direction: doorDirection(readerDoor.id) },
        currentIndex: () => ports.bundles.current(),
        clockTrusted: (at) => ports.clock.isTrusted(at),
        now,
        unlock: (door) => bus.emit("access.granted", { door }),
        record: (event) => bus.emit("event.occurred", { event }),
        ...(ports.secureCards ? { secureCards: ports.secureCards } : {}),
      },
      presentation,
    );
    // After the relay and the event: the reader's LED and beeper say what the door decided.
    bus.emit("access.decided", {
      readerId: presentation.readerId,
      outcome: result.decision === "granted" ? "grant" : "deny",
    });
  });
  return {
    start() {},
    stop() {
      ports.secureCards?.flush();
    },
  };

  /** Badging at an "out" door means leaving (presence); every other door is an entry. */
  function doorDirection(doorId: string): "in" | "out" {
    return ports.bundles.current()?.doors.get(doorId)?.direction === "out" ? "out" : "in";
  }
}
