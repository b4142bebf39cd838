import type { AccessEventView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import type { Point } from "../../components/charts.js";

/**
 * Today's occupancy as steps, from the access log: +1 at each granted entry, −1 at each exit
 * badge and each anonymous exit (`door.exit`: exit button, free egress), never below zero (an
 * exit whose entry came before midnight). The live board then adds the gateways' count at
 * each snapshot.
 */
export function curveFromEvents(events: readonly AccessEventView[], dayStart: number): Point[] {
  const points: Point[] = [{ x: dayStart, y: 0 }];
  let inside = 0;
  const sorted = [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  for (const event of sorted) {
    const step =
      event.type === "door.exit"
        ? -1
        : event.type === "access" && event.direction === "out"
          ? -1
          : event.type === "access" && event.outcome === "granted" && event.direction === "in"
            ? 1
            : 0;
    if (step === 0) continue;
    inside = Math.max(0, inside + step);
    points.push({ x: Date.parse(event.occurredAt), y: inside });
  }
  return points;
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
