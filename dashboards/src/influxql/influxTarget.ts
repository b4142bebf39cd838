import type { Builder, Dataquery } from "@grafana/grafana-foundation-sdk/cog";
import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import { influxDatasource } from "../datasources.js";

/**
 * The JSON Grafana's InfluxDB datasource reads for a raw InfluxQL query. The SDK ships no
 * InfluxDB query type, so this is the subset of Grafana's InfluxQuery we emit.
 */
export interface InfluxQlTarget {
  refId: string;
  datasource: DataSourceRef;
  rawQuery: true;
  query: string;
  resultFormat: "time_series" | "table";
  alias?: string;
}

/** What the panel expects back: one series per group-by tag set, with these columns. */
export interface InfluxExpectation {
  readonly measurement: string;
  readonly columns: readonly string[];
  readonly groupByTags: readonly string[];
}

type SdkTarget = InfluxQlTarget & Dataquery;

/*
 * Grafana keeps no trace of where a target came from; the tests run each query and need its
 * expected shape, so the expectation is remembered against the built object.
 */
const expectations = new WeakMap<object, InfluxExpectation>();

export function expectationOf(target: object): InfluxExpectation | undefined {
  return expectations.get(target);
}

export class InfluxQueryBuilder implements Builder<Dataquery> {
  constructor(
    private readonly target: Omit<InfluxQlTarget, "datasource" | "rawQuery">,
    private readonly expectation: InfluxExpectation,
  ) {}

  build(): Dataquery {
    const built: InfluxQlTarget = { ...this.target, datasource: influxDatasource, rawQuery: true };
    expectations.set(built, this.expectation);
    // The SDK's Dataquery is a marker interface; JSON never carries its method.
    return built as SdkTarget;
  }
}
