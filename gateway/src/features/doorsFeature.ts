import type { DoorUnit, PartEvent } from "../core/partTypes.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * The doors: started once the hardware is, unlocked on a granted badge (synchronously, in the
 * badge path) or a verified remote command, and put in their lock mode (fail-safe or
 * fail-secure) when the gateway stops, before the hardware stops.
 */
export function createDoors({ on, bus, ports, config }: FeatureContext): GatewayFeature {
  const doors = ports.doors;
  const door = (id: string | undefined): DoorUnit | undefined =>
    id === undefined ? doors[0] : doors.find((candidate) => candidate.id === id);
  const report = (event: PartEvent) => bus.emit("event.occurred", { event });
  on("access.granted", ({ door: id }) => door(id)?.grant());
  on("bundle.applied", ({ heldOpenMs }) => {
    for (const unit of doors) unit.setHeldOpenMs(heldOpenMs?.get(unit.id));
  });
  on("command.unlock", ({ door: id, durationMs, by }) => {
    const target = door(id);
    if (!target) return report({ type: "command.rejected", detail: `unknown door ${id}` });
    target.remoteUnlock(durationMs ?? config.door.unlockMs);
    report({ type: "remote.unlock", door: target.id, detail: by });
  });
  return {
    async start() {
      for (const unit of doors) await unit.start();
    },
    async stop() {
      for (const unit of doors) await unit.stop().catch(() => undefined);
    },
  };
}
