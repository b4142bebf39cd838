import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/*
 * prom-client refuses to register one metric name twice in a registry. Features that start,
 * stop and start again (tests, a reconnecting link) take the metric already there instead.
 */

export function counterIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function gaugeIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Gauge) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

export function histogramIn(
  registry: Registry,
  name: string,
  help: string,
  buckets: number[],
): Histogram {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Histogram) return existing as Histogram;
  return new Histogram({ name, help, buckets, registers: [registry] });
}
