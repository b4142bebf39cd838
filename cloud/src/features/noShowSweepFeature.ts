import type { Logger } from "pino";
import type { Feature } from "../bus/feature.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { releaseNoShows } from "../reservations/noShows.js";

/** Every `everyMs`, releases bookings nobody badged in for (docs/cloud-store.md, bookings). Listens to nothing. */
export class NoShowSweepFeature implements Feature {
  readonly name = "noShowSweep";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly everyMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      releaseNoShows(this.deps).catch((error: Error) =>
        this.logger.warn({ err: error.message }, "no-show sweep failed"),
      );
    }, this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
