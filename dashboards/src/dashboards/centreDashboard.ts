import { GraphDrawStyle } from "@grafana/grafana-foundation-sdk/common";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as HeatmapPanel } from "@grafana/grafana-foundation-sdk/heatmap";
import { PanelBuilder as StateTimelinePanel } from "@grafana/grafana-foundation-sdk/statetimeline";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { influxDatasource } from "../datasources.js";
import { influxQuery } from "../influxql/influxQuery.js";
import { centreVariable, thisCentre } from "./centreVariable.js";
import { passerelleDashboard } from "./dashboardBase.js";

const centreTotal = { tag: "zone", op: "=", value: "all" } as const;

function headcountQuery() {
  return influxQuery({
    measurement: "occupancy",
    select: [{ fn: "mean", field: "headcount", as: "headcount" }],
    where: [thisCentre, centreTotal],
    groupByTime: "$__interval",
    fill: "previous",
  });
}

/** One centre, for its manager: how full, when, and whether its doors behave. */
export function centreDashboard(): Dashboard {
  return passerelleDashboard({
    uid: "passerelle-centre",
    title: "Passerelle / Centre",
    description: "Occupancy, bookings, doors and alarms of one centre",
    from: "now-7d",
  })
    .withVariable(centreVariable())
    .withPanel(
      new TimeseriesPanel()
        .title("Headcount vs capacity")
        .description("People in the centre and the capacity they are measured against")
        .datasource(influxDatasource)
        .min(0)
        .span(24)
        .withTarget(
          influxQuery({
            measurement: "occupancy",
            select: [
              { fn: "mean", field: "headcount", as: "headcount" },
              { fn: "max", field: "capacity", as: "capacity" },
            ],
            where: [thisCentre, centreTotal],
            groupByTime: "$__interval",
            fill: "previous",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Today")
        .description("Headcount since midnight (the dashboard viewer's time zone)")
        .datasource(influxDatasource)
        .timeFrom("now/d")
        .min(0)
        .span(12)
        .withTarget(headcountQuery()),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Today vs a typical day of the week")
        .description(
          "Each hour's peak today against the mean peak of that hour on the same weekday of the previous four weeks (occupancy_weekday, the console's week view, written by the cloud: InfluxQL cannot shift earlier weeks onto today)",
        )
        .datasource(influxDatasource)
        .timeFrom("now/d")
        .interval("1h")
        .min(0)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "occupancy_weekday",
            select: [
              { fn: "last", field: "today", as: "today" },
              { fn: "last", field: "typical", as: "typical" },
            ],
            where: [thisCentre],
            groupByTime: "1h",
            fill: "none",
          }),
        ),
    )
    .withPanel(
      new HeatmapPanel()
        .title("Peak hours")
        .description("Highest headcount of each hour: the bright cells are the hours to plan for")
        .datasource(influxDatasource)
        .interval("1h")
        .calculate(false)
        .span(24)
        .withTarget(
          influxQuery({
            measurement: "occupancy",
            select: [{ fn: "max", field: "headcount", as: "headcount" }],
            where: [thisCentre, centreTotal],
            groupByTime: "1h",
            fill: "0",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Bookings vs used")
        .description("Desks and rooms booked per hour, the bookings checked in, and the no-shows")
        .datasource(influxDatasource)
        .drawStyle(GraphDrawStyle.Bars)
        .interval("1h")
        .min(0)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "bookings",
            select: [
              { fn: "sum", field: "booked", as: "booked" },
              { fn: "sum", field: "checked_in", as: "checked_in" },
              { fn: "sum", field: "no_shows", as: "no_shows" },
            ],
            where: [thisCentre],
            groupByTime: "$__interval",
            fill: "none",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Door events")
        .description("Badges and exits per door, granted or denied")
        .datasource(influxDatasource)
        .drawStyle(GraphDrawStyle.Bars)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "door_event",
            select: [{ fn: "sum", field: "count", as: "events" }],
            where: [thisCentre],
            groupByTime: "$__interval",
            groupByTags: ["door", "decision"],
            fill: "none",
            alias: "$tag_door $tag_decision",
          }),
        ),
    )
    .withPanel(
      new StateTimelinePanel()
        .title("Alarms")
        .description("When each door alarm (held open, forced open, gateway offline...) was active")
        .datasource(influxDatasource)
        .span(24)
        .withTarget(
          influxQuery({
            measurement: "alarm",
            select: [{ fn: "last", field: "active", as: "active" }],
            where: [thisCentre],
            groupByTime: "$__interval",
            groupByTags: ["door", "kind"],
            fill: "previous",
            alias: "$tag_door $tag_kind",
          }),
        ),
    )
    .build();
}
