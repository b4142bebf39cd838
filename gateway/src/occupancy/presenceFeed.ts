import type { GatewayEvent, OccupancySample } from "@passerelle/protocol";
import type { OccupancyFeed } from "../core/partTypes.js";
import type { OccupancyReporter } from "./occupancyReporter.js";
import type { PresenceJournal } from "./presenceJournal.js";

/**
 * The gateway's occupancy port: the reporter that counts, publishes and journals, and the
 * journal it writes to, closed when occupancy stops.
 */
export class PresenceFeed implements OccupancyFeed {
  constructor(
    private readonly reporter: OccupancyReporter,
    private readonly journal?: PresenceJournal,
  ) {}

  record(event: GatewayEvent): void {
    this.reporter.record(event);
  }

  /** The count as it would be published now. */
  sample(): OccupancySample {
    return this.reporter.sample();
  }

  start(): void {
    this.reporter.start();
  }

  stop(): void {
    this.reporter.stop();
    this.journal?.close();
  }
}
