import { type GatewayEvent, instantOfLocal } from "@passerelle/protocol";
import type { WeekViewFigures } from "../occupancy/occupancyHistoryFigures.js";
import type { GatewayEventBatch } from "../ports/eventSink.js";
import type { CentreOccupancy, DoorAlarm, GatewayState } from "../ports/liveState.js";
import { type FieldValue, float, int, type TimeSeriesPoint } from "../ports/timeSeries.js";
import { noTag } from "./measurements.js";

/*
 * What the cloud knows live, as points of docs/dashboards.md "Measurements". Pure functions:
 * the feature (timeSeriesFeature.ts) and the backfill (historyPoints.ts) share them.
 */

/** One door_event per event at a door, at the event's own time: a re-delivery overwrites it. */
export function doorEventPoint(
  event: Pick<GatewayEvent, "type" | "centre" | "door" | "decision" | "reason" | "latencyMs">,
  timeMs: number,
): TimeSeriesPoint | null {
  if (event.door === undefined) return null;
  return {
    measurement: "door_event",
    tags: {
      centre: event.centre,
      door: event.door,
      type: event.type,
      decision: event.decision ?? noTag,
      reason: event.reason ?? noTag,
    },
    // latency_ms: card read to relay commanded, as the gateway timed it (granted access only).
    fields: {
      count: int(1),
      ...(event.latencyMs === undefined ? {} : { latency_ms: float(event.latencyMs) }),
    },
    timeMs,
  };
}

export function doorEventPoints(batch: GatewayEventBatch): TimeSeriesPoint[] {
  return batch.events.flatMap((event) => {
    const point = doorEventPoint(event, Date.parse(event.time));
    return point === null ? [] : [point];
  });
}

export interface CentreFigures {
  readonly capacity: number;
  /** Members the access log places inside (membersInside), or null before it was counted. */
  readonly attributed: number | null;
}

/** The centre total (zone "all", with capacity) and one point per zone (head count only). */
export function occupancyPoints(
  occupancy: CentreOccupancy,
  figures: CentreFigures | undefined,
  timeMs: number,
): TimeSeriesPoint[] {
  const total: TimeSeriesPoint = {
    measurement: "occupancy",
    tags: { centre: occupancy.centre, zone: "all" },
    fields: {
      headcount: int(occupancy.inside),
      ...(figures === undefined ? {} : { capacity: int(figures.capacity) }),
      ...(figures?.attributed == null ? {} : { attributed: int(figures.attributed) }),
    },
    timeMs,
  };
  return [
    total,
    ...occupancy.zones.map((zone) => ({
      measurement: "occupancy",
      tags: { centre: occupancy.centre, zone: zone.zone },
      fields: { headcount: int(zone.inside) },
      timeMs,
    })),
  ];
}

/** What the cloud counts itself about a gateway's connection. */
export interface GatewayLink {
  /** When it last came online (cloud clock), or null while offline. */
  readonly onlineSinceMs: number | null;
  /** Times it came back online since the cloud started. */
  readonly reconnects: number;
}

export function gatewayHealthPoint(
  state: GatewayState,
  link: GatewayLink,
  timeMs: number,
): TimeSeriesPoint {
  return {
    measurement: "gateway_health",
    tags: { gateway: state.gatewayId, centre: state.centreId },
    fields: {
      online: int(state.online ? 1 : 0),
      ...(state.outboxDepth === null ? {} : { outbox_depth: int(state.outboxDepth) }),
      ...(state.outboxQuarantined === null ? {} : { quarantined: int(state.outboxQuarantined) }),
      ...(state.bundleVersion === null ? {} : { bundle_version: int(state.bundleVersion) }),
      ...bundleAge(state, timeMs),
      ...(state.clockTrusted === null ? {} : { clock_trusted: int(state.clockTrusted ? 1 : 0) }),
      ...(link.onlineSinceMs === null
        ? {}
        : { uptime_s: float(Math.max(0, timeMs - link.onlineSinceMs) / 1000) }),
      reconnects: int(link.reconnects),
    },
    timeMs,
  };
}

/** Seconds since the cloud issued the bundle the gateway holds (its status says when). */
function bundleAge(state: GatewayState, timeMs: number): { bundle_age_s?: FieldValue } {
  const issuedAt = state.lastOnline?.bundleIssuedAt;
  if (issuedAt === undefined || issuedAt === null) return {};
  return { bundle_age_s: float(Math.max(0, timeMs - Date.parse(issuedAt)) / 1000) };
}

export type AlarmKind = DoorAlarm | "gateway-offline" | "clock-untrusted" | "bundle-rejected";

export function alarmPoint(
  centre: string,
  door: string | null,
  kind: AlarmKind,
  active: boolean,
  timeMs: number,
): TimeSeriesPoint {
  return {
    measurement: "alarm",
    tags: { centre, door: door ?? noTag, kind },
    fields: { active: int(active ? 1 : 0) },
    timeMs,
  };
}

/**
 * Today against a typical day of the week (the console's week view, as points): one point per
 * local hour of today at its start, `typical` the mean peak of that hour on the same weekday of
 * the previous weeks, `today` its peak so far (absent for hours to come). InfluxQL cannot shift
 * earlier weeks onto today, so the cloud writes the comparison for Grafana to draw.
 */
export function weekdayPoints(week: WeekViewFigures, timeZone: string): TimeSeriesPoint[] {
  const seen = new Set<number>();
  const points: TimeSeriesPoint[] = [];
  for (const hour of week.hours) {
    const timeMs = instantOfLocal(week.date, hour.hour * 60, timeZone);
    // A spring-forward day has no 02:00: it reads as 03:00, already written.
    if (seen.has(timeMs)) continue;
    seen.add(timeMs);
    points.push({
      measurement: "occupancy_weekday",
      tags: { centre: week.centreId },
      fields: {
        typical: float(hour.typical),
        ...(hour.today === null ? {} : { today: int(hour.today) }),
      },
      timeMs,
    });
  }
  return points;
}
