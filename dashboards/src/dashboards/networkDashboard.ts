import { PanelBuilder as BarGaugePanel } from "@grafana/grafana-foundation-sdk/bargauge";
import {
  GraphDrawStyle,
  StackingConfigBuilder,
  StackingMode,
} from "@grafana/grafana-foundation-sdk/common";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as TablePanel } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { influxDatasource } from "../datasources.js";
import { influxQuery } from "../influxql/influxQuery.js";
import { passerelleDashboard } from "./dashboardBase.js";

const centreTotal = { tag: "zone", op: "=", value: "all" } as const;

/** The network at a glance, and the figures a coordinator answers the ministry with. */
export function networkDashboard(): Dashboard {
  return passerelleDashboard({
    uid: "passerelle-network",
    title: "Passerelle / Network",
    description: "Occupancy and use of every centre of the network",
    from: "now-30d",
  })
    .withPanel(
      new TimeseriesPanel()
        .title("Occupancy per centre")
        .description("How many people are in each centre, over time")
        .datasource(influxDatasource)
        .unit("none")
        .min(0)
        .span(24)
        .withTarget(
          influxQuery({
            measurement: "occupancy",
            select: [{ fn: "mean", field: "headcount", as: "headcount" }],
            where: [centreTotal],
            groupByTime: "$__interval",
            groupByTags: ["centre"],
            fill: "previous",
            alias: "$tag_centre",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Users per day")
        .description(
          "Distinct members present each day, per centre (stacked: the network's total). A member seen in two centres counts in both.",
        )
        .datasource(influxDatasource)
        .drawStyle(GraphDrawStyle.Bars)
        .stacking(new StackingConfigBuilder().mode(StackingMode.Normal))
        .fillOpacity(80)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "presence_day",
            // One point per centre per local day, stamped at the centre's midnight: grouping by
            // UTC days would move a Paris midnight (23:00 UTC) into the day before, so the points
            // are shown as written.
            select: [{ expr: '"users"', fields: ["users"], as: "users" }],
            groupByTags: ["centre"],
            alias: "$tag_centre",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Occupancy rate per centre per week")
        .description(
          "Mean headcount over mean capacity, per calendar week starting Monday 00:00 UTC, around the clock (closed hours included, as the parliamentary question asks for the rate of the building).",
        )
        .datasource(influxDatasource)
        .drawStyle(GraphDrawStyle.Bars)
        .unit("percent")
        .min(0)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "occupancy",
            select: [
              {
                expr: 'mean("headcount") / mean("capacity") * 100',
                fields: ["headcount", "capacity"],
                as: "rate",
              },
            ],
            where: [centreTotal],
            groupByTime: "1w, 4d",
            groupByTags: ["centre"],
            fill: "none",
            alias: "$tag_centre",
          }),
        ),
    )
    .withPanel(
      new BarGaugePanel()
        .title("Hours by centre")
        .description("Presence hours of members in each centre over the dashboard's range")
        .datasource(influxDatasource)
        .unit("h")
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "presence_day",
            select: [{ fn: "sum", field: "minutes", as: "hours", scale: "/ 60" }],
            groupByTags: ["centre"],
            alias: "$tag_centre",
          }),
        ),
    )
    .withPanel(
      new TablePanel()
        .title("Centres stale")
        .description(
          "Last occupancy point of each centre: the cloud writes one a minute, so a time older than a few minutes means the centre's figures stopped arriving (gateway offline or writer down).",
        )
        .datasource(influxDatasource)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "occupancy",
            select: [{ fn: "last", field: "headcount", as: "headcount" }],
            where: [centreTotal],
            groupByTags: ["centre"],
            format: "table",
          }),
        ),
    )
    .build();
}
