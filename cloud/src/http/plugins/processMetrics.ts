import { collectDefaultMetrics, type Registry } from "prom-client";

/**
 * prom-client's default gauges that break Prometheus' naming rule (a `_total` suffix is for
 * counters; promtool check metrics rejects a gauge named so). Each is the sum of its labelled
 * twin without the suffix (`nodejs_active_handles{type=…}`), so nothing is lost by dropping it.
 */
const misnamedGauges = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/** The process and Node.js runtime metrics, every name valid for promtool. */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of misnamedGauges) registry.removeSingleMetric(name);
}
