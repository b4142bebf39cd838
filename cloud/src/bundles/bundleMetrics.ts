import type { Counter, Histogram, Registry } from "prom-client";
import { counterIn, histogramIn } from "../broker/metricRegistry.js";

export interface BundleMetrics {
  compiled: Counter<"outcome">;
  published: Counter<"type">;
  failures: Counter<"stage">;
  requests: Counter;
  compileSeconds: Histogram;
}

export function bundleMetrics(registry: Registry): BundleMetrics {
  return {
    compiled: counterIn(
      registry,
      "passerelle_bundles_compiled_total",
      "Centre compilations: issued a new version, or unchanged",
      ["outcome"],
    ),
    published: counterIn(
      registry,
      "passerelle_bundles_published_total",
      "Signed bundles published to gateways, full or delta",
      ["type"],
    ),
    failures: counterIn(
      registry,
      "passerelle_bundles_failures_total",
      "Bundle work that failed, by stage",
      ["stage"],
    ),
    requests: counterIn(
      registry,
      "passerelle_bundles_requests_total",
      "bundle/request messages answered",
    ),
    compileSeconds: histogramIn(
      registry,
      "passerelle_bundle_compile_seconds",
      "Time to load, compile and sign one centre's bundle",
      [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    ),
  };
}
