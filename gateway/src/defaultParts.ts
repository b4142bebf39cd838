import { join } from "node:path";
import type { Door } from "@passerelle/protocol";
import type { GatewayConfig } from "./config/configSchema.js";
import type { Logger } from "./core/logger.js";
import { setUpSecureCards } from "./credentials/secureCardSetup.js";
import type { AccessIndex } from "./decision/accessIndex.js";
import { DoorController } from "./doorControl/doorController.js";
import { EventOutbox } from "./eventOutbox/eventOutbox.js";
import type { GatewayParts, PartsContext } from "./features/gatewayPorts.js";
import { type CreateHardwareDeps, createHardware } from "./hardware/createHardware.js";
import { OccupancyReporter } from "./occupancy/occupancyReporter.js";
import { PresenceFeed } from "./occupancy/presenceFeed.js";
import { PresenceJournal } from "./occupancy/presenceJournal.js";

const noZones: ReadonlyMap<string, readonly string[]> = new Map();
const zonesByDoors = new WeakMap<
  ReadonlyMap<string, Door>,
  ReadonlyMap<string, readonly string[]>
>();

/**
 * The zones each door leads to, in the bundle in force. The same map for the same bundle: the
 * occupancy reporter compares by identity and recomputes only when the bundle changes.
 */
function doorZones(index: AccessIndex | null): ReadonlyMap<string, readonly string[]> {
  if (index === null) return noZones;
  let zones = zonesByDoors.get(index.doors);
  if (zones === undefined) {
    zones = new Map([...index.doors.values()].map((door) => [door.id, door.zones]));
    zonesByDoors.set(index.doors, zones);
  }
  return zones;
}

/**
 * The real parts of a gateway: the configured hardware adapters (native modules loaded only for
 * them), one door controller per door, the SQLite outbox in the data directory, and live
 * occupancy from the gateway's own access and exit events, kept in a journal next to the outbox
 * so that a restart restores the count (the exits themselves are counted by the exitCounting
 * feature, features/exitCounting.ts).
 */
export async function createDefaultParts(
  config: GatewayConfig,
  logger: Logger,
  context: PartsContext,
  /** For tests and the demo: the "sim" adapters on an in-process hub, module loaders. */
  hardwareDeps: Omit<CreateHardwareDeps, "logger"> = {},
): Promise<GatewayParts> {
  const hardware = await createHardware(config.hardware, { ...hardwareDeps, logger });
  const doors = hardware.doors.map(
    (door) =>
      new DoorController({
        id: door.id,
        lock: door.lock,
        ...(door.contact ? { contact: door.contact } : {}),
        ...(door.exitButton ? { exitButton: door.exitButton } : {}),
        lockMode: config.door.lockMode,
        unlockMs: config.door.unlockMs,
        heldOpenMs: config.door.heldOpenMs,
        freeEgress: () => context.currentIndex()?.doors.get(door.id)?.exitKind === "free-egress",
        record: (event) => context.record(event),
        logger,
        // `hardware` starts and stops the adapters; the controllers apply the lock mode first.
        ownsHardware: false,
      }),
  );
  const outboxPath = join(config.dataDir, "outbox.db");
  const outbox = new EventOutbox({ path: outboxPath, capacity: config.outbox.capacity, logger });
  const journal = openJournal(outboxPath, logger);
  const reporter = new OccupancyReporter({
    centre: config.centre,
    centreRules: () => context.currentIndex()?.rules ?? null,
    doorZones: () => doorZones(context.currentIndex()),
    publish: (sample) => context.publishOccupancy(sample),
    inactivityLimitMs: config.presence.inactivityLimitMinutes * 60_000,
    ...(journal === undefined ? {} : { journal }),
    logger,
  });
  const secureCards = config.secureCards
    ? setUpSecureCards(
        { sunKeysFile: config.secureCards.sunKeysFile, dataDir: config.dataDir },
        logger,
      )
    : undefined;
  const occupancy = new PresenceFeed(reporter, journal);
  return { hardware, doors, outbox, occupancy, ...(secureCards ? { secureCards } : {}) };
}

/** The presence journal, or none when it cannot be opened: the doors matter more than a restore. */
function openJournal(path: string, logger: Logger): PresenceJournal | undefined {
  try {
    return new PresenceJournal(path);
  } catch (error) {
    logger
      .child({ module: "gateway:occupancy" })
      .error(
        { err: (error as Error).message },
        "presence journal unavailable: the count will not survive a restart",
      );
    return undefined;
  }
}
