import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { SessionUpdater } from "../hours/sessionUpdater.js";

/**
 * Presence sessions follow committed events (docs/hours.md): listens to events.committed, and at
 * start catches up with what was committed before it listened (or before a crash). Stop waits
 * for the rebuilds already queued.
 */
export class PresenceSessionsFeature implements Feature {
  readonly name = "presenceSessions";
  private readonly sessions: SessionUpdater;

  constructor(
    private readonly bus: CloudEventBus,
    deps: ServiceDeps,
  ) {
    this.sessions = new SessionUpdater(deps);
  }

  async start(): Promise<void> {
    this.bus.on("events.committed", this, (batch) => this.sessions.onCommitted(batch));
    await this.sessions.catchUp();
  }

  async stop(): Promise<void> {
    this.bus.removeListeners(this);
    await this.sessions.idle();
  }
}
