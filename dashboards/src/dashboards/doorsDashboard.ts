import { GraphDrawStyle } from "@grafana/grafana-foundation-sdk/common";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as PieChartPanel } from "@grafana/grafana-foundation-sdk/piechart";
import { PanelBuilder as StateTimelinePanel } from "@grafana/grafana-foundation-sdk/statetimeline";
import { PanelBuilder as TablePanel } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { influxDatasource } from "../datasources.js";
import { influxQuery } from "../influxql/influxQuery.js";
import { passerelleDashboard } from "./dashboardBase.js";

/** The operator's wall: gateways that need a visit and doors that misbehave. */
export function doorsDashboard(): Dashboard {
  return passerelleDashboard({
    uid: "passerelle-doors",
    title: "Passerelle / Doors and gateways",
    description: "Gateway health, door alarms, denied badges and door latency across the network",
    from: "now-24h",
  })
    .withPanel(
      new TablePanel()
        .title("Gateways: last status")
        .description("Last report of each gateway: online 0 is an offline gateway")
        .datasource(influxDatasource)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "gateway_health",
            select: [
              { fn: "last", field: "online", as: "online" },
              { fn: "last", field: "outbox_depth", as: "outbox_depth" },
              { fn: "last", field: "clock_trusted", as: "clock_trusted" },
              { fn: "last", field: "bundle_version", as: "bundle_version" },
            ],
            groupByTags: ["centre", "gateway"],
            format: "table",
          }),
        ),
    )
    .withPanel(
      new StateTimelinePanel()
        .title("Offline gateways")
        .description("Each gateway's online state over time (0 offline, 1 online)")
        .datasource(influxDatasource)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "gateway_health",
            select: [{ fn: "min", field: "online", as: "online" }],
            groupByTime: "$__interval",
            groupByTags: ["gateway"],
            fill: "previous",
            alias: "$tag_gateway",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Outbox depth")
        .description(
          "Events a gateway holds that the cloud has not acknowledged: rising means a link problem",
        )
        .datasource(influxDatasource)
        .min(0)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "gateway_health",
            select: [{ fn: "max", field: "outbox_depth", as: "outbox_depth" }],
            groupByTime: "$__interval",
            groupByTags: ["gateway"],
            fill: "previous",
            alias: "$tag_gateway",
          }),
        ),
    )
    .withPanel(
      new StateTimelinePanel()
        .title("Clock trust")
        .description("Whether each gateway trusts its clock (0: time-based rules fail closed)")
        .datasource(influxDatasource)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "gateway_health",
            select: [{ fn: "min", field: "clock_trusted", as: "clock_trusted" }],
            groupByTime: "$__interval",
            groupByTags: ["gateway"],
            fill: "previous",
            alias: "$tag_gateway",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Held-open and forced-open alarms")
        .description("Door alarms raised, per centre and kind")
        .datasource(influxDatasource)
        .drawStyle(GraphDrawStyle.Bars)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "door_event",
            select: [{ fn: "sum", field: "count", as: "alarms" }],
            where: [{ tag: "type", op: "=~", value: "^door\\.(held-open|forced-open)$" }],
            groupByTime: "$__interval",
            groupByTags: ["centre", "type"],
            fill: "none",
            alias: "$tag_centre $tag_type",
          }),
        ),
    )
    .withPanel(
      new PieChartPanel()
        .title("Denied badges by reason")
        .description("Why doors said no over the range: unknown card, revoked, outside hours...")
        .datasource(influxDatasource)
        .span(12)
        .withTarget(
          influxQuery({
            measurement: "door_event",
            select: [{ fn: "sum", field: "count", as: "denied" }],
            where: [{ tag: "decision", op: "=", value: "denied" }],
            groupByTags: ["reason"],
            alias: "$tag_reason",
          }),
        ),
    )
    .withPanel(
      new TimeseriesPanel()
        .title("Card-to-relay latency")
        .description("Time from a card read to the relay opening, as gateways report it")
        .datasource(influxDatasource)
        .unit("ms")
        .min(0)
        .span(24)
        .withTarget(
          influxQuery({
            measurement: "door_event",
            select: [
              { fn: "percentile", field: "latency_ms", arg: 50, as: "p50" },
              { fn: "percentile", field: "latency_ms", arg: 99, as: "p99" },
              { fn: "max", field: "latency_ms", as: "max" },
            ],
            groupByTime: "$__interval",
            fill: "none",
          }),
        ),
    )
    .build();
}
