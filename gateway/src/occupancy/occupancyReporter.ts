import {
  type CentreHours,
  type ClosedSession,
  type GatewayEvent,
  limits,
  type OccupancySample,
  PresenceError,
  PresenceTracker,
} from "@passerelle/protocol";
import { type Logger, silentLogger } from "../core/logger.js";
import type { OccupancyFeed } from "../core/partTypes.js";

export interface OccupancyReporterOptions {
  centre: string;
  /** The centre's hours in the bundle in force; null before the first bundle. */
  centreRules(): CentreHours | null;
  /** Each door's zones in the bundle in force. */
  doorZones(): ReadonlyMap<string, readonly string[]>;
  /** Sends one sample (MQTT `occupancy`, QoS 1). A rejection is logged, never thrown. */
  publish(sample: OccupancySample): Promise<void>;
  /** A presence session closed (exit, closing time, inactivity). */
  onSessionClosed?(session: ClosedSession): void;
  inactivityLimitMs?: number;
  /** Periodic sample, also closing sessions whose time has come; 60 000 ms. */
  intervalMs?: number;
  now?: () => number;
  logger?: Logger;
}

/**
 * Live occupancy of the gateway's centre from its own access events, by the same presence rules
 * the cloud uses for hours (protocol's PresenceTracker). Publishes the count inside, per zone, on
 * every change and every minute. Fed from the door path, so nothing here ever throws into it.
 * Presence lives in memory: after a restart the count starts from zero and fills as members
 * badge (the cloud's sessions, rebuilt from the durable events, are the reference).
 */
export class OccupancyReporter implements OccupancyFeed {
  private readonly tracker: PresenceTracker;
  private readonly log: Logger;
  private readonly now: () => number;
  private rules: CentreHours | null = null;
  private zones: ReadonlyMap<string, readonly string[]> | null = null;
  private lastCounts: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OccupancyReporterOptions) {
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:occupancy" });
    this.now = options.now ?? Date.now;
    this.tracker = new PresenceTracker(
      options.inactivityLimitMs === undefined
        ? {}
        : { inactivityLimitMs: options.inactivityLimitMs },
    );
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  record(event: GatewayEvent): void {
    if (event.centre !== this.options.centre || event.type !== "access") return;
    try {
      this.followBundle();
      this.closed(this.tracker.record(event));
      this.publishIfChanged();
    } catch (error) {
      const code = error instanceof PresenceError ? error.code : "presence.failed";
      this.log.warn({ code, err: (error as Error).message, seq: event.seq }, "event not counted");
    }
  }

  /** Closes sessions whose time has come, then publishes the count whether it changed or not. */
  tick(): void {
    try {
      this.followBundle();
      this.closed(this.tracker.advanceTo(this.now()));
      this.publish();
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "occupancy tick failed");
    }
  }

  sample(): OccupancySample {
    const { centre } = this.options;
    return {
      time: new Date(this.now()).toISOString(),
      centre,
      inside: this.tracker.insideCount(centre),
      zones: this.tracker.zoneCounts(centre).slice(0, limits.zonesPerCentre),
    };
  }

  private followBundle(): void {
    const rules = this.options.centreRules();
    if (rules !== null && rules !== this.rules) {
      this.tracker.setCentre(rules);
      this.rules = rules;
    }
    const zones = this.options.doorZones();
    if (zones !== this.zones) {
      this.tracker.setDoorZones(zones);
      this.zones = zones;
    }
  }

  private closed(sessions: ClosedSession[]): void {
    for (const session of sessions) {
      try {
        this.options.onSessionClosed?.(session);
      } catch (error) {
        this.log.error({ err: (error as Error).message }, "session listener failed");
      }
    }
  }

  private publishIfChanged(): void {
    const { inside, zones } = this.sample();
    if (JSON.stringify([inside, zones]) !== this.lastCounts) this.publish();
  }

  private publish(): void {
    const sample = this.sample();
    this.lastCounts = JSON.stringify([sample.inside, sample.zones]);
    try {
      this.options.publish(sample).catch((error: Error) => {
        this.log.warn({ err: error.message }, "occupancy sample not published");
      });
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "occupancy sample not published");
    }
  }
}
