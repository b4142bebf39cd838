import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { deadAfterMs, heartbeatEveryMs } from "../hours/rebuildMarks.js";
import { SessionUpdater } from "../hours/sessionUpdater.js";

/**
 * Presence sessions follow committed events (docs/hours.md): listens to events.committed, and at
 * start catches up with what was committed before it listened (or before a crash). While it
 * runs it beats in session_rebuild_marks and repairs what an instance that stopped beating may
 * have left out of the sessions (docs/scale.md "Sessions after an instance dies"). Stop waits
 * for the rebuilds already queued.
 */
export class PresenceSessionsFeature implements Feature {
  readonly name = "presenceSessions";
  private readonly sessions: SessionUpdater;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly bus: CloudEventBus,
    private readonly deps: ServiceDeps,
  ) {
    this.sessions = new SessionUpdater(deps);
  }

  async start(): Promise<void> {
    this.bus.on("events.committed", this, (batch) => this.sessions.onCommitted(batch));
    await this.sessions.start();
    const log = this.deps.logger.child({ module: "cloud:hours" });
    this.every(heartbeatEveryMs, () =>
      this.sessions
        .heartbeat()
        .catch((error: Error) => log.warn({ err: error.message }, "rebuild heartbeat failed")),
    );
    // Half the dead-after delay: a dead instance's events wait at most 3 minutes for sessions.
    this.every(deadAfterMs / 2, () =>
      this.sessions
        .repairDeadInstances()
        .catch((error: Error) => log.warn({ err: error.message }, "rebuild repair failed")),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.bus.removeListeners(this);
    await this.sessions.stop();
  }

  private every(ms: number, work: () => Promise<unknown>): void {
    const timer = setInterval(() => void work(), ms);
    timer.unref();
    this.timers.push(timer);
  }
}
