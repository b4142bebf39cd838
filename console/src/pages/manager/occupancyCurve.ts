import type { AccessEventView } from "@passerelle/cloud/api-types";
import { type PresenceEvent, PresenceTracker } from "@passerelle/protocol/browser";
import type { ApiClient } from "../../api/client.js";
import type { Point } from "../../components/charts.js";

/** The rules need a centre's hours; within one day, a centre that never closes decides nothing. */
const dayLongCentre = (id: string) => ({
  id,
  timeZone: "UTC",
  openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }],
  closedDates: [],
  inactivityLimitMs: 24 * 3_600_000,
});

/**
 * Today's occupancy as steps, from the access log, counted by the presence rules the gateway
 * counts its board with (protocol's PresenceTracker): a granted entry is one more person, but a
 * member already inside who badges again with no anonymous exit since is the same person (a
 * second tap, a lunch out through a door that counted nobody); an exit badge of a member inside
 * and an anonymous exit (`door.exit`) are one person out; never below 0 (an exit whose entry
 * came before midnight), and an exit badge of someone not inside moves nothing. The live board
 * then adds the gateways' count at each snapshot.
 */
export function curveFromEvents(events: readonly AccessEventView[], dayStart: number): Point[] {
  const points: Point[] = [{ x: dayStart, y: 0 }];
  const tracker = new PresenceTracker();
  const sorted = [...events].sort(
    (a, b) =>
      Date.parse(a.occurredAt) - Date.parse(b.occurredAt) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const centres = new Set<string>();
  let inside = 0;
  for (const event of sorted) {
    if (event.type !== "access" && event.type !== "door.exit") continue;
    if (!centres.has(event.centreId)) {
      centres.add(event.centreId);
      tracker.setCentre(dayLongCentre(event.centreId));
    }
    try {
      tracker.record(presenceEventOf(event));
    } catch {
      continue; // a time the rules refuse (out of order): the log shows it, the curve skips it
    }
    const now = tracker.headcount(event.centreId);
    if (now === inside) continue;
    inside = now;
    points.push({ x: Date.parse(event.occurredAt), y: inside });
  }
  return points;
}

function presenceEventOf(event: AccessEventView): PresenceEvent {
  return {
    id: event.id,
    time: event.occurredAt,
    type: event.type as PresenceEvent["type"],
    centre: event.centreId,
    ...(event.doorId === null ? {} : { door: event.doorId }),
    ...(event.direction === null ? {} : { direction: event.direction }),
    ...(event.memberId === null ? {} : { member: event.memberId }),
    ...(event.outcome === null ? {} : { decision: event.outcome }),
  };
}

export async function todaysCurve(
  api: ApiClient,
  centreId: string,
  dayStartIso: string,
): Promise<Point[]> {
  const [passages, exits] = await Promise.all([
    api.all<AccessEventView>("/access-events", { centreId, from: dayStartIso, type: "access" }, 10),
    api.all<AccessEventView>(
      "/access-events",
      { centreId, from: dayStartIso, type: "door.exit" },
      10,
    ),
  ]);
  return curveFromEvents([...passages, ...exits], Date.parse(dayStartIso));
}
