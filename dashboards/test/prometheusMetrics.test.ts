import { describe, expect, it } from "vitest";
import { PROMETHEUS_DATASOURCE_UID } from "../src/datasources.js";
import { cloudCallsCollectDefaultMetrics, cloudMetricNames } from "./support/cloudMetrics.js";
import { everyTarget } from "./support/dashboardTargets.js";

const registered = await cloudMetricNames();
const promTargets = everyTarget().filter(
  ({ target }) =>
    (target.datasource as { uid?: string } | undefined)?.uid === PROMETHEUS_DATASOURCE_UID,
);

/** Metric names in an expression: our namespaces only, so functions and labels never match. */
function metricsOf(expr: string): string[] {
  return [...expr.matchAll(/\b(?:passerelle|process|nodejs)_[a-z0-9_]+/g)].map((match) => match[0]);
}

describe("Cloud service dashboard", () => {
  it("reads the metric names from the cloud's sources", async () => {
    // A check that the parser still finds what the cloud registers, or every name would fail.
    expect(registered).toContain("passerelle_ingest_messages_total");
    expect(registered).toContain("passerelle_http_request_duration_seconds_bucket");
    expect(registered).toContain("process_resident_memory_bytes");
    expect(await cloudCallsCollectDefaultMetrics()).toBe(true);
  });

  it.each(
    promTargets.map((entry) => [`${entry.panel.title} ${entry.target.refId}`, entry] as const),
  )("%s queries metrics the cloud registers", (_name, { target }) => {
    const names = metricsOf(String(target.expr));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(registered, name).toContain(name);
  });

  it("would catch a misspelt metric", () => {
    expect(registered).not.toContain(metricsOf("rate(passerelle_ingest_mesages_total[5m])")[0]);
  });
});
