import type { GatewayEvent } from "@passerelle/protocol";
import { DateTime } from "luxon";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { loadPresenceCentres } from "../hours/presenceCentres.js";
import { float, int, type TimeSeriesPoint } from "../ports/timeSeries.js";
import { doorEventPoint } from "./livePoints.js";

/*
 * Points rebuilt from what the store keeps (access events, bookings, sessions): the backfill
 * command writes them for a period, and the feature rewrites the current hour and day every
 * minute. Each point's series and time depend only on the data, so writing twice overwrites.
 */

const hourMs = 3_600_000;

export interface Period {
  readonly fromMs: number;
  readonly toMs: number;
}

/** door_event points of the access events that happened in the period, page by page. */
export async function* doorEventHistory(
  deps: ServiceDeps,
  period: Period,
  pageSize = 5_000,
): AsyncGenerator<TimeSeriesPoint[]> {
  let after: { time: number; id: string } | null = null;
  for (;;) {
    let query = deps.store.db
      .selectFrom("access_events")
      .select(["id", "time", "type", "centre_id", "door_id", "decision", "reason"])
      .where("time", ">=", period.fromMs)
      .where("time", "<", period.toMs)
      .orderBy("time")
      .orderBy("id")
      .limit(pageSize);
    if (after !== null) {
      const { time, id } = after;
      query = query.where((eb) =>
        eb.or([eb("time", ">", time), eb.and([eb("time", "=", time), eb("id", ">", id)])]),
      );
    }
    const rows = await query.execute();
    if (rows.length === 0) return;
    const points: TimeSeriesPoint[] = [];
    for (const row of rows) {
      const point = doorEventPoint(
        {
          type: row.type as GatewayEvent["type"],
          centre: row.centre_id,
          ...(row.door_id === null ? {} : { door: row.door_id }),
          ...(row.decision === null ? {} : { decision: row.decision }),
          ...(row.reason === null
            ? {}
            : { reason: row.reason as NonNullable<GatewayEvent["reason"]> }),
        },
        row.time,
      );
      if (point !== null) points.push(point);
    }
    yield points;
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < pageSize) return;
    after = { time: last.time, id: last.id };
  }
}

/**
 * bookings per centre per hour of start (the UTC hour, which is the local hour wherever the
 * offset is whole hours): booked = not cancelled, checked_in, no_shows = released as no-show
 * or over without a badge-in.
 */
export async function bookingHours(deps: ServiceDeps, period: Period): Promise<TimeSeriesPoint[]> {
  const now = deps.clock.now();
  const rows = await deps.store.db
    .selectFrom("bookings")
    .select(["centre_id", "starts_at", "ends_at", "status", "checked_in_at", "cancel_reason"])
    .where("starts_at", ">=", Math.floor(period.fromMs / hourMs) * hourMs)
    .where("starts_at", "<", period.toMs)
    .execute();
  const hours = new Map<
    string,
    { centre: string; hour: number; booked: number; checkedIn: number; noShows: number }
  >();
  for (const row of rows) {
    const hour = Math.floor(row.starts_at / hourMs) * hourMs;
    const key = `${row.centre_id}\u0000${hour}`;
    const line = hours.get(key) ?? {
      centre: row.centre_id,
      hour,
      booked: 0,
      checkedIn: 0,
      noShows: 0,
    };
    hours.set(key, line);
    const noShow =
      (row.status === "released" && row.cancel_reason === "no-show") ||
      (row.status === "confirmed" && row.checked_in_at === null && row.ends_at <= now);
    if (row.status !== "cancelled") line.booked += 1;
    if (row.checked_in_at !== null) line.checkedIn += 1;
    if (noShow) line.noShows += 1;
  }
  return [...hours.values()].map((line) => ({
    measurement: "bookings",
    tags: { centre: line.centre },
    fields: {
      booked: int(line.booked),
      checked_in: int(line.checkedIn),
      no_shows: int(line.noShows),
    },
    timeMs: line.hour,
  }));
}

/**
 * presence_day per centre per local day whose sessions started in the period (widened to whole
 * days): distinct members, sessions, billable minutes; at the centre's local midnight.
 */
export async function presenceDays(deps: ServiceDeps, period: Period): Promise<TimeSeriesPoint[]> {
  const centres = await loadPresenceCentres(deps.store.db);
  const dayMs = 86_400_000;
  const rows = await deps.store.db
    .selectFrom("sessions")
    .select(["centre_id", "member_id", "local_date", "billable_minutes"])
    .where("started_at", ">=", period.fromMs - dayMs)
    .where("started_at", "<", period.toMs + dayMs)
    .execute();
  const days = new Map<
    string,
    { centre: string; date: string; members: Set<string>; sessions: number; minutes: number }
  >();
  for (const row of rows) {
    const key = `${row.centre_id}\u0000${row.local_date}`;
    const day = days.get(key) ?? {
      centre: row.centre_id,
      date: row.local_date,
      members: new Set<string>(),
      sessions: 0,
      minutes: 0,
    };
    days.set(key, day);
    day.members.add(row.member_id);
    day.sessions += 1;
    day.minutes += row.billable_minutes;
  }
  const points: TimeSeriesPoint[] = [];
  for (const day of days.values()) {
    const zone = centres.get(day.centre)?.timeZone ?? "UTC";
    const midnight = DateTime.fromISO(day.date, { zone }).toMillis();
    // Days the widened query caught beyond the period are left to the run that covers them.
    if (midnight + dayMs <= period.fromMs || midnight >= period.toMs) continue;
    points.push({
      measurement: "presence_day",
      tags: { centre: day.centre },
      fields: {
        users: int(day.members.size),
        sessions: int(day.sessions),
        minutes: float(day.minutes),
      },
      timeMs: midnight,
    });
  }
  return points;
}
