import type { GatewayEvent, OccupancySample } from "@passerelle/protocol";
import type { OccupancyFeed } from "../gatewayParts.js";
import type { ExitCounter } from "./exitCounter.js";
import type { OccupancyReporter } from "./occupancyReporter.js";
import type { PresenceJournal } from "./presenceJournal.js";

/**
 * The gateway's presence as one feed of recorded events: the exit counter turns door cycles
 * into `door.exit` events (recorded through the app, so they come back here like any event),
 * and the occupancy reporter counts, publishes and journals. Stopping closes the journal.
 */
export class PresenceFeature implements OccupancyFeed {
  constructor(
    private readonly parts: {
      exits: ExitCounter;
      occupancy: OccupancyReporter;
      journal?: PresenceJournal;
    },
  ) {}

  record(event: GatewayEvent): void {
    this.parts.exits.record(event);
    this.parts.occupancy.record(event);
  }

  /** The count as it would be published now. */
  sample(): OccupancySample {
    return this.parts.occupancy.sample();
  }

  start(): void {
    this.parts.occupancy.start();
  }

  stop(): void {
    this.parts.exits.stop();
    this.parts.occupancy.stop();
    this.parts.journal?.close();
  }
}
