/**
 * The measurements the cloud writes, their tags and their field types (docs/dashboards.md
 * "Measurements"): the one place the `influx` client's schema and the tests read them from.
 */
export const measurementSchemas = {
  occupancy: {
    tags: ["centre", "zone"],
    ints: ["headcount", "attributed", "capacity"],
    floats: [],
  },
  door_event: {
    tags: ["centre", "door", "type", "decision", "reason"],
    ints: ["count"],
    floats: ["latency_ms"],
  },
  gateway_health: {
    tags: ["gateway", "centre"],
    ints: [
      "online",
      "outbox_depth",
      "quarantined",
      "bundle_version",
      "clock_trusted",
      "reconnects",
    ],
    floats: ["bundle_age_s", "uptime_s"],
  },
  bookings: { tags: ["centre"], ints: ["booked", "checked_in", "no_shows"], floats: [] },
  presence_day: { tags: ["centre"], ints: ["users", "sessions"], floats: ["minutes"] },
  alarm: { tags: ["centre", "door", "kind"], ints: ["active"], floats: [] },
  occupancy_weekday: { tags: ["centre"], ints: ["today"], floats: ["typical"] },
} as const satisfies Record<
  string,
  { tags: readonly string[]; ints: readonly string[]; floats: readonly string[] }
>;

export type MeasurementName = keyof typeof measurementSchemas;

/** Tag value for "not applicable": InfluxDB drops empty tags, and a panel cannot group by a missing one. */
export const noTag = "none";
