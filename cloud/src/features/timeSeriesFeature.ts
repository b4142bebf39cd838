import type { Logger } from "pino";
import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import { listCentres } from "../domain/centres.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { membersInside } from "../occupancy/membersInside.js";
import { type HistorySources, weekViewFigures } from "../occupancy/occupancyHistoryFigures.js";
import type { CentreOccupancy, DoorAlarm, GatewayState } from "../ports/liveState.js";
import type { TimeSeriesPoint } from "../ports/timeSeries.js";
import { bookingHours, presenceDays } from "../timeseries/historyPoints.js";
import {
  alarmPoint,
  type CentreFigures,
  doorEventPoints,
  type GatewayLink,
  gatewayHealthPoint,
  occupancyPoints,
  weekdayPoints,
} from "../timeseries/livePoints.js";

/** Where the points go: PointQueue (timeseries/pointQueue.ts) or a test's list. */
export interface PointSink {
  enqueue(points: readonly TimeSeriesPoint[]): void;
  start?(): void;
  stop?(): Promise<void>;
}

const hourMs = 3_600_000;
/** The weekday comparison reads five days per centre: rewritten at most this often. */
const weekdayEveryMs = 15 * 60_000;

/**
 * Writes the time series of docs/dashboards.md "Measurements": listens to events.committed
 * (door_event), occupancy.changed (occupancy), gateway.statusChanged (gateway_health, alarms
 * gateway-offline and clock-untrusted), door.changed (alarms held-open and forced-open), and
 * every `sampleEveryMs` rewrites the occupancy and gateway_health samples and the current
 * hour's bookings and day's presence_day from the store, and every quarter of an hour today's
 * occupancy_weekday (today against the same weekday of the previous weeks). Listeners only enqueue (synchronous):
 * nothing the ingest or the API does waits for InfluxDB.
 */
export class TimeSeriesFeature implements Feature {
  readonly name = "timeSeries";
  private timer: NodeJS.Timeout | undefined;
  private readonly centres = new Map<string, CentreFigures>();
  private readonly occupancy = new Map<string, CentreOccupancy>();
  private readonly gateways = new Map<string, { state: GatewayState; link: GatewayLink }>();
  private readonly doorAlarms = new Map<string, { centre: string; alarm: DoorAlarm | null }>();
  private sampling: Promise<void> | undefined;
  private weekdayWrittenAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly bus: CloudEventBus,
    private readonly deps: ServiceDeps,
    private readonly sink: PointSink,
    private readonly logger: Logger,
    private readonly sampleEveryMs = 60_000,
    /** Past occupancy for occupancy_weekday (the console's sources); absent: not written. */
    private readonly histories?: HistorySources["preferred"],
  ) {}

  async start(): Promise<void> {
    this.sink.start?.();
    await this.loadCentres();
    this.bus.on("events.committed", this, (batch) => this.sink.enqueue(doorEventPoints(batch)));
    this.bus.on("occupancy.changed", this, (occupancy) => this.onOccupancy(occupancy));
    this.bus.on("gateway.statusChanged", this, (state) => this.onGateway(state));
    this.bus.on("door.changed", this, (door) => {
      const previous = this.doorAlarms.get(door.doorId)?.alarm ?? null;
      this.doorAlarms.set(door.doorId, { centre: door.centreId, alarm: door.alarm });
      if (previous === door.alarm) return;
      const now = this.deps.clock.now();
      const points = [];
      if (previous !== null)
        points.push(alarmPoint(door.centreId, door.doorId, previous, false, now));
      if (door.alarm !== null)
        points.push(alarmPoint(door.centreId, door.doorId, door.alarm, true, now));
      this.sink.enqueue(points);
    });
    this.timer = setInterval(() => this.sampleSoon(), this.sampleEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.bus.removeListeners(this);
    await this.sampling;
    await this.sink.stop?.();
  }

  /** The once-a-minute samples (public for tests, which do not wait a minute). */
  async sample(): Promise<void> {
    const now = this.deps.clock.now();
    await this.loadCentres();
    const points: TimeSeriesPoint[] = [];
    for (const occupancy of this.occupancy.values()) {
      const figures = this.centres.get(occupancy.centre);
      const inside = await membersInside(this.deps, occupancy.centre);
      const counted = figures === undefined ? undefined : { ...figures, attributed: inside.length };
      if (counted !== undefined) this.centres.set(occupancy.centre, counted);
      points.push(...occupancyPoints(occupancy, counted, now));
    }
    for (const { state, link } of this.gateways.values()) {
      points.push(gatewayHealthPoint(state, link, now));
    }
    const hourStart = Math.floor(now / hourMs) * hourMs;
    points.push(
      ...(await bookingHours(this.deps, { fromMs: hourStart, toMs: hourStart + hourMs })),
    );
    points.push(...(await presenceDays(this.deps, { fromMs: now, toMs: now + 1 })));
    this.sink.enqueue(points);
    if (this.histories !== undefined && now - this.weekdayWrittenAt >= weekdayEveryMs) {
      this.weekdayWrittenAt = now;
      await this.sampleWeekdays(this.histories, now);
    }
  }

  /** occupancy_weekday of every centre: today against the same weekday of the 4 weeks before. */
  private async sampleWeekdays(preferred: HistorySources["preferred"], now: number) {
    const sources: HistorySources = { preferred, logger: this.logger };
    for (const centre of await listCentres(this.deps)) {
      const week = await weekViewFigures(sources, centre, now);
      this.sink.enqueue(weekdayPoints(week, centre.timeZone));
    }
  }

  private sampleSoon(): void {
    if (this.sampling !== undefined) return;
    this.sampling = this.sample()
      .catch((error: Error) =>
        this.logger.warn({ err: error.message }, "time-series sample failed"),
      )
      .finally(() => {
        this.sampling = undefined;
      });
  }

  private async loadCentres(): Promise<void> {
    for (const centre of await listCentres(this.deps)) {
      const known = this.centres.get(centre.id);
      this.centres.set(centre.id, {
        capacity: centre.capacity,
        attributed: known?.attributed ?? null,
      });
    }
  }

  private onOccupancy(occupancy: CentreOccupancy): void {
    this.occupancy.set(occupancy.centre, occupancy);
    const figures = this.centres.get(occupancy.centre);
    this.sink.enqueue(occupancyPoints(occupancy, figures, this.deps.clock.now()));
  }

  private onGateway(state: GatewayState): void {
    const now = this.deps.clock.now();
    const known = this.gateways.get(state.gatewayId);
    const wasOnline = known?.state.online ?? false;
    const link: GatewayLink = state.online
      ? {
          onlineSinceMs: wasOnline ? (known?.link.onlineSinceMs ?? now) : now,
          reconnects: (known?.link.reconnects ?? 0) + (known !== undefined && !wasOnline ? 1 : 0),
        }
      : { onlineSinceMs: null, reconnects: known?.link.reconnects ?? 0 };
    this.gateways.set(state.gatewayId, { state, link });
    const points = [gatewayHealthPoint(state, link, now)];
    if (known === undefined || wasOnline !== state.online) {
      points.push(alarmPoint(state.centreId, null, "gateway-offline", !state.online, now));
    }
    const wasTrusted = known?.state.clockTrusted ?? null;
    if (state.clockTrusted !== null && state.clockTrusted !== wasTrusted) {
      points.push(alarmPoint(state.centreId, null, "clock-untrusted", !state.clockTrusted, now));
    }
    this.sink.enqueue(points);
  }
}
