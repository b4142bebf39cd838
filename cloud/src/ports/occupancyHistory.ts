/*
 * Past occupancy, as the console's week view and the network's 30 days read it
 * (docs/dashboards.md "In the console"). Two adapters: the store (presence sessions, always
 * there) and InfluxDB (the gateways' head counts, where the `influx` client is configured).
 */

export const hourMs = 3_600_000;

/** One hour of a centre: the most people inside at once, and the count it ended with. */
export interface HourFigure {
  /** Start of the hour (epoch ms, a whole UTC hour). */
  readonly hourMs: number;
  readonly peak: number;
  readonly last: number;
}

export interface OccupancyHistory {
  /** "store" or "influxdb": the API says where the figures came from. */
  readonly source: "store" | "influxdb";
  /**
   * Every hour of [fromMs, toMs) (both whole UTC hours), in order: an hour in which nothing
   * changed holds the count in force at its start (0 where nothing is known).
   */
  hours(centreId: string, fromMs: number, toMs: number): Promise<HourFigure[]>;
}
