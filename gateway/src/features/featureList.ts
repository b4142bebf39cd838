import { createAccessBundles } from "./accessBundles.js";
import { createBadgeAccess } from "./badgeAccess.js";
import { createBundleRequests } from "./bundleRequests.js";
import { createClockTrust } from "./clockTrust.js";
import { createCloudLink } from "./cloudLink.js";
import { createDoors } from "./doorsFeature.js";
import { createEventJournal } from "./eventJournal.js";
import { createEventUplink } from "./eventUplinkFeature.js";
import { createExitCounting } from "./exitCounting.js";
import type { FeatureDefinition } from "./feature.js";
import { createHardwareFeature } from "./hardwareFeature.js";
import { createOccupancy } from "./occupancyFeature.js";
import { createRemoteCommands } from "./remoteCommands.js";
import { createStatus } from "./statusFeature.js";

/**
 * The gateway: its features in start order (stopped in reverse), and the bus events each one
 * listens to (core/busEvents.ts declares them with their payloads). A feature may only listen
 * to what its line says (the runner refuses anything else), so this list is the wiring. Every
 * feature is created (and subscribed) before the first one starts, so the order below is only
 * the order of starting and, reversed, of stopping:
 * - the journal first, so the outbox closes last;
 * - the clock guard and the bundle in force before anything decides;
 * - the cloud link and the uplink before the hardware, so that at stop the doors apply their
 *   lock mode while the link still runs and their last events can leave;
 * - the doors after the hardware their locks and contacts belong to;
 * - status last to start and first to stop, as before the bus.
 */
export const gatewayFeatures: readonly FeatureDefinition[] = [
  { name: "eventJournal", listensTo: ["event.occurred"], create: createEventJournal },
  {
    name: "clockTrust",
    listensTo: ["bundle.applied", "clock.trustChanged"],
    create: createClockTrust,
  },
  {
    name: "bundleRequests",
    listensTo: ["bundle.requested", "link.up"],
    create: createBundleRequests,
  },
  {
    name: "accessBundles",
    listensTo: ["bundle.received", "bundleDelta.received", "bundle.applied", "bundle.rejected"],
    create: createAccessBundles,
  },
  // Emits link.up/down and, through mqtt/handlers, *.received and ack.received.
  { name: "cloudLink", listensTo: [], create: createCloudLink },
  {
    name: "eventUplink",
    listensTo: ["event.recorded", "link.up", "link.down", "ack.received"],
    create: createEventUplink,
  },
  { name: "remoteCommands", listensTo: ["command.received"], create: createRemoteCommands },
  { name: "occupancy", listensTo: ["event.recorded"], create: createOccupancy },
  // Emits event.occurred (door.exit) when a door's exit cycle completes.
  { name: "exitCounting", listensTo: ["event.recorded"], create: createExitCounting },
  { name: "badgeAccess", listensTo: ["badge.read"], create: createBadgeAccess },
  // Emits badge.read and reader.statusChanged.
  { name: "hardware", listensTo: ["access.decided"], create: createHardwareFeature },
  {
    name: "doors",
    listensTo: ["access.granted", "command.unlock", "bundle.applied"],
    create: createDoors,
  },
  {
    name: "status",
    listensTo: ["bundle.applied", "reader.statusChanged", "link.up"],
    create: createStatus,
  },
];
