/**
 * The measurements the cloud writes to InfluxDB (docs/dashboards.md, "Measurements"): tags and
 * fields per measurement, so a dashboard query naming a field or tag that does not exist fails
 * to typecheck.
 */
export const measurements = {
  occupancy: {
    tags: ["centre", "zone"],
    fields: ["headcount", "attributed", "capacity"],
  },
  door_event: {
    tags: ["centre", "door", "type", "decision", "reason"],
    fields: ["count", "latency_ms"],
  },
  gateway_health: {
    tags: ["gateway", "centre"],
    fields: [
      "online",
      "outbox_depth",
      "quarantined",
      "bundle_version",
      "bundle_age_s",
      "clock_trusted",
      "uptime_s",
      "reconnects",
    ],
  },
  bookings: { tags: ["centre"], fields: ["booked", "checked_in", "no_shows"] },
  presence_day: { tags: ["centre"], fields: ["users", "sessions", "minutes"] },
  alarm: { tags: ["centre", "door", "kind"], fields: ["active"] },
  occupancy_weekday: { tags: ["centre"], fields: ["today", "typical"] },
} as const;

export type Measurement = keyof typeof measurements;
export type TagOf<M extends Measurement> = (typeof measurements)[M]["tags"][number];
export type FieldOf<M extends Measurement> = (typeof measurements)[M]["fields"][number];
