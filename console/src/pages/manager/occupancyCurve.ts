import type { AccessEventView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import type { Point } from "../../components/charts.js";

/**
 * Today's occupancy as steps, from the access log: +1 at each granted entry, −1 at each
 * granted exit, never below zero (an exit whose entry came before midnight). The live board
 * then adds the gateways' count at each snapshot.
 */
export function curveFromEvents(events: readonly AccessEventView[], dayStart: number): Point[] {
  const points: Point[] = [{ x: dayStart, y: 0 }];
  let inside = 0;
  const sorted = [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  for (const event of sorted) {
    if (event.outcome !== "granted" || event.direction === null) continue;
    inside = Math.max(0, inside + (event.direction === "in" ? 1 : -1));
    points.push({ x: Date.parse(event.occurredAt), y: inside });
  }
  return points;
}

export async function todaysCurve(
  api: ApiClient,
  centreId: string,
  dayStartIso: string,
): Promise<Point[]> {
  const events = await api.all<AccessEventView>(
    "/access-events",
    { centreId, from: dayStartIso, outcome: "granted", type: "access" },
    10,
  );
  return curveFromEvents(events, Date.parse(dayStartIso));
}
