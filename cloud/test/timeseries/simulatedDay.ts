import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GatewayEvent, OnlineStatus } from "@passerelle/protocol";
import { pino } from "pino";
import { StoreOccupancyHistory } from "../../src/adapters/storeOccupancyHistory.js";
import { type CloudEventBus, cloudEventBus } from "../../src/bus/cloudEvents.js";
import { type PointSink, TimeSeriesFeature } from "../../src/features/timeSeriesFeature.js";
import { openStore, type Store } from "../../src/store/openStore.js";
import { HoursWorld } from "../hours/hoursWorld.js";
import { at } from "../support/fixtures.js";

/*
 * One day at centre "redu" (Europe/Brussels, capacity 10) through the real ingest path
 * (AccessEventStore, then the events.committed the ingest emits) and the occupancy samples a
 * gateway sends. The figures the tests expect, by hand:
 *   09:00 ana in, 09:30 ben in, 10:00 carl denied (unknown-badge), 11:37 ana out, 12:10 ben out
 *   → door_event: 4 granted + 1 denied; headcount 1, 2, 1, 0 (capacity 10)
 *   → sessions: ana 2 h 37 → 165 min, ben 2 h 40 → 165 min (15-min rounding up):
 *     presence_day 2026-11-23 (midnight +01:00 = 2026-11-22T23:00Z): users 2, sessions 2, 330 min.
 *   The gateway times card to relay on each granted badge: 38, 52, 41, 45 ms → latency_ms
 *   mean 44, max 52, 4 values (the denial commands no relay, so has none).
 *   Its status at 08:00 says its bundle was issued at 07:30 → bundle_age_s 1800 then, and
 *   34 200 (9 h 30) at the 17:00 sample.
 */
export const dayMidnightMs = Date.parse("2026-11-22T23:00:00Z");

export class SimulatedDay {
  readonly bus: CloudEventBus;
  feature: TimeSeriesFeature | undefined;

  private constructor(
    readonly dir: string,
    readonly store: Store,
    readonly world: HoursWorld,
  ) {
    this.bus = cloudEventBus(pino({ level: "silent" }));
  }

  static async create(): Promise<SimulatedDay> {
    const dir = await mkdtemp(join(tmpdir(), "passerelle-ts-"));
    const store = await openStore({ dataDir: dir });
    const world = await HoursWorld.create(store, "2026-11-23T08:00:00+01:00");
    await world.centre("redu");
    return new SimulatedDay(dir, store, world);
  }

  async startFeature(sink: PointSink): Promise<void> {
    this.feature = new TimeSeriesFeature(
      this.bus,
      this.world.deps,
      sink,
      pino({ level: "silent" }),
      3_600_000,
      [new StoreOccupancyHistory(this.world.deps)],
    );
    await this.feature.start();
  }

  private async deliver(event: GatewayEvent): Promise<void> {
    const batch = { gatewayId: "redu-gw", centreId: "redu", events: [event] };
    const [stored] = await this.world.sink.storeBatch([batch]);
    this.world.updater.onCommitted(batch);
    this.bus.emit("events.committed", { ...batch, inserted: stored?.inserted ?? 0 });
    await this.world.updater.idle();
  }

  private inside(time: string, inside: number): void {
    this.world.deps.clock.set(time);
    this.bus.emit("occupancy.changed", {
      centre: "redu",
      inside,
      attributed: inside,
      zones: [],
      time: new Date(at(time)).toISOString(),
      gateways: ["redu-gw"],
    });
  }

  /** The gateway's status as the cloud's board passes it on (gateway.statusChanged). */
  private status(time: string): void {
    this.world.deps.clock.set(time);
    const now = new Date(at(time)).toISOString();
    const status: OnlineStatus = {
      state: "online",
      time: now,
      software: "passerelle-gateway test",
      centre: "redu",
      bundleVersion: 12,
      bundleValidUntil: "2026-11-30T07:30:00.000Z",
      bundleIssuedAt: "2026-11-23T06:30:00.000Z",
      clock: { trusted: true, lastTrustedTime: now },
      outbox: { depth: 0, capacity: 1000, full: false, droppedSamples: 0, quarantined: 0 },
      readers: [],
      doors: [],
    };
    this.bus.emit("gateway.statusChanged", {
      gatewayId: "redu-gw",
      centreId: "redu",
      online: true,
      receivedAt: now,
      software: status.software,
      bundleVersion: 12,
      bundleValidUntil: status.bundleValidUntil,
      clockTrusted: true,
      outboxDepth: 0,
      outboxFull: false,
      outboxQuarantined: 0,
      lastOnline: status,
    });
  }

  /** The day, then the evening sample at 17:00. */
  async play(): Promise<void> {
    const w = this.world;
    this.status("2026-11-23T08:00+01:00");
    this.inside("2026-11-23T09:00+01:00", 1);
    await this.deliver({ ...w.badge("ana", "redu", "2026-11-23T09:00+01:00"), latencyMs: 38 });
    this.inside("2026-11-23T09:30+01:00", 2);
    await this.deliver({ ...w.badge("ben", "redu", "2026-11-23T09:30+01:00"), latencyMs: 52 });
    const denied = w.badge("carl", "redu", "2026-11-23T10:00+01:00", { decision: "denied" });
    await this.deliver({ ...denied, reason: "unknown-badge" });
    this.inside("2026-11-23T11:37+01:00", 1);
    await this.deliver({
      ...w.badge("ana", "redu", "2026-11-23T11:37+01:00", { direction: "out" }),
      latencyMs: 41,
    });
    this.inside("2026-11-23T12:10+01:00", 0);
    await this.deliver({
      ...w.badge("ben", "redu", "2026-11-23T12:10+01:00", { direction: "out" }),
      latencyMs: 45,
    });
    w.deps.clock.set("2026-11-23T17:00+01:00");
    await this.feature?.sample();
  }

  async close(): Promise<void> {
    await this.feature?.stop();
    this.bus.removeListeners(this.feature ?? { name: "none" });
    await this.store.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
