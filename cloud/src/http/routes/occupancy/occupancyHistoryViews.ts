import { type Static, Type } from "@sinclair/typebox";

const Source = Type.Union([Type.Literal("store"), Type.Literal("influxdb")], {
  description:
    "Where the figures come from: `influxdb` (the gateways' head counts) where the cloud writes to InfluxDB 1.x and it answers, else `store` (presence sessions: members named by the access log)",
});
const LocalDate = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" });

export const WeekView = Type.Object({
  centreId: Type.String(),
  date: LocalDate,
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: "ISO weekday, 1 = Monday" }),
  comparedDates: Type.Array(LocalDate, {
    description: "The same weekday of the previous weeks, most recent first, averaged",
  }),
  source: Source,
  capacity: Type.Integer(),
  hours: Type.Array(
    Type.Object({
      hour: Type.Integer({ minimum: 0, maximum: 23, description: "Local hour of the day" }),
      today: Type.Union([Type.Integer(), Type.Null()], {
        description: "Most people inside at once in that hour today; null for hours to come",
      }),
      typical: Type.Number({
        description: "Mean of that hour's peak over the compared dates, two decimals",
      }),
    }),
  ),
});
export type WeekView = Static<typeof WeekView>;

export const NetworkDaysView = Type.Object({
  from: LocalDate,
  to: LocalDate,
  source: Source,
  centres: Type.Array(
    Type.Object({
      centreId: Type.String(),
      name: Type.String(),
      capacity: Type.Integer(),
      days: Type.Array(
        Type.Object({
          date: LocalDate,
          peak: Type.Integer({ description: "Most people inside at once that local day" }),
          rate: Type.Number({ description: "peak / capacity, 0 when the capacity is 0" }),
        }),
      ),
    }),
  ),
});
export type NetworkDaysView = Static<typeof NetworkDaysView>;
