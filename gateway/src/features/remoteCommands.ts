import { join } from "node:path";
import { CommandHandler } from "../commands/commandHandler.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Signed commands from the cloud: verified by the command handler, then said on the bus (an
 * unlock for the doors, a resync as a bundle request); refusals are reported as events.
 */
export function createRemoteCommands(context: FeatureContext): GatewayFeature {
  const { on, bus, ports, config, now, logger } = context;
  const commands = new CommandHandler({
    gatewayId: config.gatewayId,
    trustedKeys: ports.trustedKeys,
    now,
    logger,
    seenFile: join(config.dataDir, "commands-seen.json"),
    unlock: (door, durationMs, command) =>
      bus.emit("command.unlock", { door, durationMs, by: command.issuedBy ?? command.id }),
    resync: () => bus.emit("bundle.requested", { reason: "resync" }),
    onRejected: (code) =>
      bus.emit("event.occurred", { event: { type: "command.rejected", detail: code } }),
  });
  on("command.received", ({ frame }) => commands.receive(frame));
  return {
    start() {},
  };
}
