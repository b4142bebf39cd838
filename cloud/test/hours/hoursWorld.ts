import { Writable } from "node:stream";
import type { WeeklySchedule } from "@passerelle/protocol";
import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { pino } from "pino";
import { AccessEventStore } from "../../src/adapters/accessEventStore.js";
import { type CentreSettings, createCentre } from "../../src/domain/centres.js";
import { SessionUpdater } from "../../src/hours/sessionUpdater.js";
import type { SessionsTable } from "../../src/store/database.js";
import type { Store } from "../../src/store/openStore.js";
import { admin, at, type RecordingDeps, recordingDeps } from "../support/fixtures.js";

export const everyDay8to18: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5, 6, 7], open: "08:00", close: "18:00" },
];
/** Open every night 22:00 → 06:00 (the cloud writes it as two intervals meeting at midnight). */
export const nights22to6: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "06:00" },
  { days: [1, 2, 3, 4, 5, 6, 7], open: "22:00", close: "24:00" },
];
export const aroundTheClock: WeeklySchedule = [
  { days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" },
];

export interface BadgeOptions {
  direction?: "in" | "out";
  decision?: "granted" | "denied";
}

/**
 * A store with centres and the real ingest path for events (AccessEventStore, then the
 * SessionUpdater as the ingest's "committed" listener), so each test writes badge swipes at
 * local times with offsets and reads the sessions and reports that follow.
 */
export class HoursWorld {
  readonly sink: AccessEventStore;
  readonly updater: SessionUpdater;
  private seq = 0;

  constructor(
    readonly store: Store,
    readonly deps: RecordingDeps,
    /** What the hours code logged (pino records), for the tests of "a rule and a log line". */
    readonly logs: Record<string, unknown>[] = [],
  ) {
    // (deps may be a running cloud's: only its clock, hooks and logger are used.)
    this.sink = new AccessEventStore(store, deps.clock);
    this.updater = new SessionUpdater(deps);
  }

  static async create(store: Store, now = "2026-12-01T09:00:00Z"): Promise<HoursWorld> {
    const logs: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const deps = { ...recordingDeps(store, now), logger: pino({ level: "info" }, stream) };
    return new HoursWorld(store, deps, logs);
  }

  /**
   * A centre in Brussels. Its no-exit policy is `closing-time` unless the settings say otherwise:
   * the figures of the tests written before the policies were computed by hand for that rule
   * (the default, last-seen, has its own tests in presencePolicies.test.ts).
   */
  async centre(
    id: string,
    openingHours: WeeklySchedule = everyDay8to18,
    settings: Partial<CentreSettings> = {},
    hourlyRateCents = 450,
  ): Promise<void> {
    await createCentre(this.deps, admin, {
      id,
      name: id,
      timeZone: "Europe/Brussels",
      openingHours,
      capacity: 10,
      hourlyRateCents,
      settings: { noExitPolicy: { kind: "closing-time" }, ...settings },
    });
  }

  /** One access event (not yet delivered). `time` carries its offset, e.g. "…T09:00+01:00". */
  badge(member: string, centre: string, time: string, options: BadgeOptions = {}): GatewayEvent {
    this.seq += 1;
    const ms = at(time);
    return {
      id: uuidv7(ms),
      seq: this.seq,
      time: new Date(ms).toISOString(),
      type: "access",
      centre,
      door: `${centre}-main`,
      direction: options.direction ?? "in",
      member,
      decision: options.decision ?? "granted",
    };
  }

  /**
   * One anonymous exit as a gateway counts it (`door.exit`: an exit-button cycle or a
   * free-egress door cycle; no member, no credential).
   */
  exit(centre: string, time: string, door = `${centre}-main`): GatewayEvent {
    this.seq += 1;
    const ms = at(time);
    return {
      id: uuidv7(ms),
      seq: this.seq,
      time: new Date(ms).toISOString(),
      type: "door.exit",
      centre,
      door,
      direction: "out",
    };
  }

  /** Delivers events as one gateway batch per centre, in the order given, and waits for sessions. */
  async deliver(...events: GatewayEvent[]): Promise<void> {
    const centres = [...new Set(events.map((event) => event.centre))];
    for (const centreId of centres) {
      const batch = {
        gatewayId: `${centreId}-gw`,
        centreId,
        events: events.filter((event) => event.centre === centreId),
      };
      await this.sink.storeBatch([batch]);
      this.updater.onCommitted(batch);
    }
    await this.updater.idle();
  }

  async sessions(member?: string): Promise<SessionsTable[]> {
    let query = this.store.db.selectFrom("sessions").selectAll();
    if (member !== undefined) query = query.where("member_id", "=", member);
    return query.orderBy("started_at").orderBy("member_id").execute();
  }

  /** [centre, local start, minutes billable, close reason] per session: the figures to check. */
  async summary(member?: string): Promise<[string, string, number, string][]> {
    return (await this.sessions(member)).map((s) => [
      s.centre_id,
      new Date(s.started_at).toISOString(),
      s.billable_minutes,
      s.close_reason,
    ]);
  }
}
