import {
  type CentreHours,
  type ClosedSession,
  type GatewayEvent,
  limits,
  type NoExitPolicy,
  type OccupancySample,
  PresenceError,
  type PresenceNote,
  PresenceTracker,
} from "@passerelle/protocol";
import { type Logger, silentLogger } from "../core/logger.js";
import type { OccupancyFeed } from "../core/partTypes.js";
import type { PresenceJournal } from "./presenceJournal.js";

export interface OccupancyReporterOptions {
  centre: string;
  /** The centre's hours in the bundle in force; null before the first bundle. */
  centreRules(): CentreHours | null;
  /** Each door's zones in the bundle in force. */
  doorZones(): ReadonlyMap<string, readonly string[]>;
  /** Sends one sample (MQTT `occupancy`, QoS 1). A rejection is logged, never thrown. */
  publish(sample: OccupancySample): Promise<void>;
  /** A presence session closed (exit, last-out, closing time, inactivity, cap). */
  onSessionClosed?(session: ClosedSession): void;
  inactivityLimitMs?: number;
  /** The protocol's default (last seen + 30 min) unless given. */
  noExitPolicy?: NoExitPolicy;
  /**
   * Where the presence events are kept across restarts (presenceJournal.ts). With one, the count
   * is restored from it at start, as soon as the bundle gives the centre's hours.
   */
  journal?: PresenceJournal;
  /** Periodic sample, also closing sessions whose time has come; 60 000 ms. */
  intervalMs?: number;
  now?: () => number;
  logger?: Logger;
}

/**
 * Live occupancy of the gateway's centre from its own access and `door.exit` events, by the same
 * presence rules the cloud uses for hours (protocol's PresenceTracker). Publishes the headcount
 * (as `inside` and `headcount`), the attributed members and the count per zone on every change
 * and every minute. Fed from the door path, so nothing here ever throws into it. Every presence
 * rule applied (an exit at headcount 0, an exit badge of someone not inside, a write-off) is a
 * log line. With a journal, the presence events survive a restart: they are replayed into the
 * tracker once the bundle is there, so the count comes back instead of starting from zero.
 */
export class OccupancyReporter implements OccupancyFeed {
  private readonly tracker: PresenceTracker;
  private readonly log: Logger;
  private readonly now: () => number;
  private rules: CentreHours | null = null;
  private zones: ReadonlyMap<string, readonly string[]> | null = null;
  private lastCounts: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** True while a journal waits to be replayed (no bundle yet, or not started). */
  private restorePending: boolean;
  /** While replaying, closes and notes were already reported before the restart. */
  private replaying = false;
  private lastSeq = 0;

  constructor(private readonly options: OccupancyReporterOptions) {
    this.log = (options.logger ?? silentLogger).child({ module: "gateway:occupancy" });
    this.now = options.now ?? Date.now;
    this.restorePending = options.journal !== undefined;
    this.tracker = new PresenceTracker({
      ...(options.inactivityLimitMs === undefined
        ? {}
        : { inactivityLimitMs: options.inactivityLimitMs }),
      ...(options.noExitPolicy === undefined ? {} : { noExitPolicy: options.noExitPolicy }),
      onNote: (note) => this.noted(note),
    });
  }

  start(): void {
    if (this.timer) return;
    if (this.restore()) this.publish();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  record(event: GatewayEvent): void {
    if (event.centre !== this.options.centre) return;
    if (event.type !== "access" && event.type !== "door.exit") return;
    this.keep(event);
    if (this.restorePending) {
      // The journal holds this event too: it is counted with the rest once restored.
      if (this.restore()) this.publish();
      return;
    }
    if (this.feed(event)) this.publishIfChanged();
  }

  /** Closes sessions whose time has come, then publishes the count whether it changed or not. */
  tick(): void {
    try {
      if (this.restorePending && !this.restore()) return;
      this.followBundle();
      this.closed(this.tracker.advanceTo(this.now()));
      this.trimIfEmpty();
      this.publish();
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "occupancy tick failed");
    }
  }

  sample(): OccupancySample {
    const { centre } = this.options;
    const headcount = this.tracker.headcount(centre);
    const members = this.tracker
      .openSessions()
      .filter((session) => session.centre === centre)
      .map((session) => session.member)
      .sort();
    return {
      time: new Date(this.now()).toISOString(),
      centre,
      inside: headcount,
      headcount,
      attributed: members.length,
      members: members.slice(0, limits.membersPerOccupancySample),
      zones: this.tracker.zoneCounts(centre).slice(0, limits.zonesPerCentre),
    };
  }

  /** Feeds one event to the tracker; false when it was refused (logged). */
  private feed(event: GatewayEvent): boolean {
    try {
      this.followBundle();
      this.closed(this.tracker.record(event));
      this.lastSeq = Math.max(this.lastSeq, event.seq);
      this.trimIfEmpty();
      return true;
    } catch (error) {
      const code = error instanceof PresenceError ? error.code : "presence.failed";
      if (!this.replaying) {
        this.log.warn({ code, err: (error as Error).message, seq: event.seq }, "event not counted");
      }
      return false;
    }
  }

  /** Writes the event to the journal; a failure costs only the restore, never the count. */
  private keep(event: GatewayEvent): void {
    const journal = this.options.journal;
    if (journal === undefined || !journal.isOpen()) return;
    try {
      const dropped = journal.append(event);
      if (dropped > 0) {
        this.log.warn({ dropped }, "presence journal full: oldest events dropped");
      }
    } catch (error) {
      this.log.error(
        { err: (error as Error).message, seq: event.seq },
        "presence journal write failed",
      );
    }
  }

  /**
   * Replays the journal once the centre's hours are known; true once restored. The replay gives
   * the tracker the same events in the same order as before the restart, then closes what came
   * due while the gateway was down.
   */
  private restore(): boolean {
    if (!this.restorePending) return true;
    const journal = this.options.journal;
    if (journal === undefined || !journal.isOpen()) {
      this.restorePending = false;
      return true;
    }
    if (this.options.centreRules() === null) return false;
    this.restorePending = false;
    this.replaying = true;
    let events: GatewayEvent[] = [];
    try {
      events = journal.events();
      for (const event of events) this.feed(event);
      this.tracker.advanceTo(this.now());
      this.trimIfEmpty();
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "presence journal could not be read");
    } finally {
      this.replaying = false;
    }
    const { centre } = this.options;
    this.log.info(
      {
        events: events.length,
        headcount: this.tracker.headcount(centre),
        attributed: this.tracker.insideCount(centre),
      },
      "presence restored from the journal",
    );
    return true;
  }

  /** Nobody inside: nothing before the latest event matters for a restore any more. */
  private trimIfEmpty(): void {
    const { centre, journal } = this.options;
    if (journal === undefined || !journal.isOpen() || this.lastSeq === 0) return;
    if (this.tracker.headcount(centre) > 0 || this.tracker.insideCount(centre) > 0) return;
    try {
      journal.trimThrough(this.lastSeq);
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "presence journal trim failed");
    }
  }

  private noted(note: PresenceNote): void {
    if (this.replaying) return;
    const { kind, at, ...rest } = note;
    this.log.warn({ rule: kind, at: new Date(at).toISOString(), ...rest }, noteMessages[kind]);
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
    if (this.replaying) return;
    for (const session of sessions) {
      try {
        this.options.onSessionClosed?.(session);
      } catch (error) {
        this.log.error({ err: (error as Error).message }, "session listener failed");
      }
    }
  }

  private publishIfChanged(): void {
    if (countsOf(this.sample()) !== this.lastCounts) this.publish();
  }

  private publish(): void {
    const sample = this.sample();
    this.lastCounts = countsOf(sample);
    try {
      this.options.publish(sample).catch((error: Error) => {
        this.log.warn({ err: error.message }, "occupancy sample not published");
      });
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "occupancy sample not published");
    }
  }
}

const countsOf = (sample: OccupancySample) =>
  JSON.stringify([sample.headcount, sample.members, sample.zones]);

const noteMessages = {
  "exit-at-zero": "exit while the headcount is 0: ignored, the headcount stays 0",
  "exit-not-inside": "exit badge of a member not counted inside: headcount unchanged",
  "headcount-written-off": "headcount written off: nobody attributed inside past the deadline",
} as const;
