import type { ServiceDeps } from "../domain/serviceDeps.js";
import { hourFiguresOfSteps } from "../occupancy/hourFigures.js";
import type { HourFigure, OccupancyHistory } from "../ports/occupancyHistory.js";

/**
 * Past occupancy from the presence sessions (docs/hours.md): one person inside from a
 * session's start to its end (a session still running, up to now). It counts the members the
 * access log names (a session still running is stored with its projected end: read up to
 * now, as the network figures read it); a visitor let in by an exit button or a door held open is not in it, which
 * InfluxDB's head counts include (influxOccupancyHistory.ts).
 */
export class StoreOccupancyHistory implements OccupancyHistory {
  readonly source = "store";

  constructor(private readonly deps: ServiceDeps) {}

  async hours(centreId: string, fromMs: number, toMs: number): Promise<HourFigure[]> {
    const now = this.deps.clock.now();
    // Read by the (centre_id, ended_at) index, as the network figures are.
    const sessions = await this.deps.store.db
      .selectFrom("sessions")
      .select(["started_at", "ended_at"])
      .where("centre_id", "=", centreId)
      .where("ended_at", ">", fromMs)
      .where("started_at", "<", toMs)
      .execute();
    const edges: [number, number][] = [];
    for (const session of sessions) {
      const end = Math.min(session.ended_at, now);
      if (end <= session.started_at) continue;
      edges.push([session.started_at, 1], [end, -1]);
    }
    // Ends before starts at the same instant: a hand-over is not two people at once.
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inside = 0;
    const steps = edges.map(([timeMs, step]) => {
      inside += step;
      return { timeMs, inside };
    });
    return hourFiguresOfSteps(steps, fromMs, toMs);
  }
}
