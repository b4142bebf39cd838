import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { prometheusDatasource } from "../datasources.js";
import { passerelleDashboard } from "./dashboardBase.js";

function promQuery(expr: string, legend: string, refId = "A"): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(prometheusDatasource)
    .expr(expr)
    .legendFormat(legend)
    .refId(refId);
}

function promPanel(title: string, description: string, unit: string, targets: DataqueryBuilder[]) {
  return new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(prometheusDatasource)
    .unit(unit)
    .span(12)
    .targets(targets);
}

const rate = (metric: string) => `rate(${metric}[$__rate_interval])`;
const p99 = (histogram: string, by: string) =>
  `histogram_quantile(0.99, sum by (le${by ? `, ${by}` : ""}) (${rate(`${histogram}_bucket`)}))`;

/** The cloud process itself, from its Prometheus /metrics. */
export function cloudDashboard(): Dashboard {
  return passerelleDashboard({
    uid: "passerelle-cloud",
    title: "Passerelle / Cloud service",
    description: "Ingest, MQTT broker, bundles, HTTP API and process of the Passerelle cloud",
    from: "now-6h",
  })
    .withPanel(
      promPanel("Ingest messages", "MQTT messages received from gateways, per kind", "reqps", [
        promQuery(`sum by (kind) (${rate("passerelle_ingest_messages_total")})`, "{{kind}}"),
      ]),
    )
    .withPanel(
      promPanel("Events stored and acked", "Access events committed, duplicates, acks", "ops", [
        promQuery(`sum(${rate("passerelle_ingest_events_stored_total")})`, "stored", "A"),
        promQuery(`sum(${rate("passerelle_ingest_events_duplicate_total")})`, "duplicate", "B"),
        promQuery(`sum(${rate("passerelle_ingest_acks_total")})`, "acks", "C"),
      ]),
    )
    .withPanel(
      promPanel(
        "Ingest problems",
        "Rejected messages by reason, failed commits and acks, sequence gaps: all should be zero",
        "ops",
        [
          promQuery(
            `sum by (reason) (${rate("passerelle_ingest_rejected_total")})`,
            "rejected {{reason}}",
            "A",
          ),
          promQuery(
            `sum(${rate("passerelle_ingest_store_failures_total")})`,
            "store failures",
            "B",
          ),
          promQuery(`sum(${rate("passerelle_ingest_ack_failures_total")})`, "ack failures", "C"),
          promQuery(`sum(${rate("passerelle_ingest_seq_gaps_total")})`, "seq gaps", "D"),
        ],
      ),
    )
    .withPanel(
      promPanel("Event commit p99", "Duration of one event commit (99th percentile)", "s", [
        promQuery(p99("passerelle_ingest_commit_seconds", ""), "p99"),
      ]),
    )
    .withPanel(
      promPanel("MQTT clients", "Gateways and services connected to the broker", "none", [
        promQuery("sum(passerelle_mqtt_clients_connected)", "connected"),
      ]),
    )
    .withPanel(
      promPanel(
        "MQTT refusals",
        "Failed logins, refused publishes or subscribes, connections cut by a byte cap or the rate limit",
        "ops",
        [
          promQuery(`sum(${rate("passerelle_mqtt_auth_failures_total")})`, "auth failures", "A"),
          promQuery(
            `sum(${rate("passerelle_mqtt_publish_refused_total")})`,
            "publish refused",
            "B",
          ),
          promQuery(
            `sum(${rate("passerelle_mqtt_subscribe_refused_total")})`,
            "subscribe refused",
            "C",
          ),
          promQuery(
            `sum by (reason) (${rate("passerelle_mqtt_connections_cut_total")})`,
            "cut {{reason}}",
            "D",
          ),
        ],
      ),
    )
    .withPanel(
      promPanel("Bundles", "Centre bundles compiled (by outcome), published, failed", "ops", [
        promQuery(
          `sum by (outcome) (${rate("passerelle_bundles_compiled_total")})`,
          "compiled {{outcome}}",
          "A",
        ),
        promQuery(`sum(${rate("passerelle_bundles_published_total")})`, "published", "B"),
        promQuery(
          `sum by (stage) (${rate("passerelle_bundles_failures_total")})`,
          "failed {{stage}}",
          "C",
        ),
      ]),
    )
    .withPanel(
      promPanel("Bundle compile p99", "Time to compile one centre's bundle", "s", [
        promQuery(p99("passerelle_bundle_compile_seconds", ""), "p99"),
      ]),
    )
    .withPanel(
      promPanel("HTTP requests", "API requests per second by status", "reqps", [
        promQuery(
          `sum by (status) (${rate("passerelle_http_request_duration_seconds_count")})`,
          "{{status}}",
        ),
      ]),
    )
    .withPanel(
      promPanel("HTTP latency p99", "99th percentile of API request duration per route", "s", [
        promQuery(p99("passerelle_http_request_duration_seconds", "route"), "{{route}}"),
      ]),
    )
    .withPanel(
      promPanel("Process memory", "Resident memory of the cloud process", "bytes", [
        promQuery("process_resident_memory_bytes", "rss"),
      ]),
    )
    .withPanel(
      promPanel("Event loop lag p99", "Node.js event loop lag: above 0.1 s the API stutters", "s", [
        promQuery("nodejs_eventloop_lag_p99_seconds", "lag p99"),
      ]),
    )
    .build();
}
