import { InfluxQueryBuilder } from "./influxTarget.js";
import type { FieldOf, Measurement, TagOf } from "./measurements.js";

type Aggregate = "mean" | "max" | "min" | "last" | "sum" | "count" | "percentile" | "spread";

/** One column: an aggregate of a field (`percentile` takes `arg`), optionally scaled. */
export interface FieldSelection<M extends Measurement> {
  readonly fn: Aggregate;
  readonly field: FieldOf<M>;
  readonly as: string;
  readonly arg?: number;
  /** Appended arithmetic, e.g. "/ 60" for minutes to hours. */
  readonly scale?: string;
}

/** A column computed from several aggregates, e.g. a ratio; `fields` lists what it reads. */
export interface ExpressionSelection<M extends Measurement> {
  readonly expr: string;
  readonly fields: readonly FieldOf<M>[];
  readonly as: string;
}

export type Selection<M extends Measurement> = FieldSelection<M> | ExpressionSelection<M>;

export interface TagCondition<M extends Measurement> {
  readonly tag: TagOf<M>;
  /** "=" compares to a literal; "=~" to a regex (how Grafana expands multi-value variables). */
  readonly op: "=" | "!=" | "=~";
  readonly value: string;
}

export interface InfluxQuerySpec<M extends Measurement> {
  readonly refId?: string;
  readonly measurement: M;
  readonly select: readonly Selection<M>[];
  /** ANDed; the dashboard time range ($timeFilter) is always added. */
  readonly where?: readonly TagCondition<M>[];
  /** e.g. "$__interval", "1h", "1w, 4d" (weeks starting Monday: the epoch was a Thursday). */
  readonly groupByTime?: string;
  readonly groupByTags?: readonly TagOf<M>[];
  readonly fill?: "null" | "none" | "previous" | "0" | "linear";
  readonly format?: "time_series" | "table";
  /** Grafana legend alias, e.g. "$tag_centre". */
  readonly alias?: string;
}

function renderSelection<M extends Measurement>(selection: Selection<M>): string {
  if ("expr" in selection) return `${selection.expr} AS "${selection.as}"`;
  const args = selection.arg === undefined ? "" : `, ${selection.arg}`;
  const scale = selection.scale === undefined ? "" : ` ${selection.scale}`;
  return `${selection.fn}("${selection.field}"${args})${scale} AS "${selection.as}"`;
}

function renderCondition<M extends Measurement>(condition: TagCondition<M>): string {
  const value = condition.op === "=~" ? `/${condition.value}/` : `'${condition.value}'`;
  return `"${condition.tag}" ${condition.op} ${value}`;
}

export function renderInfluxQl<M extends Measurement>(spec: InfluxQuerySpec<M>): string {
  const select = spec.select.map(renderSelection).join(", ");
  const where = [...(spec.where ?? []).map(renderCondition), "$timeFilter"].join(" AND ");
  const groups = [
    ...(spec.groupByTime === undefined ? [] : [`time(${spec.groupByTime})`]),
    ...(spec.groupByTags ?? []).map((tag) => `"${tag}"`),
  ];
  const groupBy = groups.length === 0 ? "" : ` GROUP BY ${groups.join(", ")}`;
  const fill = spec.fill === undefined ? "" : ` fill(${spec.fill})`;
  return `SELECT ${select} FROM "${spec.measurement}" WHERE ${where}${groupBy}${fill}`;
}

/** A typed raw-InfluxQL Grafana target, with the shape of its answer kept for the tests. */
export function influxQuery<M extends Measurement>(spec: InfluxQuerySpec<M>): InfluxQueryBuilder {
  return new InfluxQueryBuilder(
    {
      refId: spec.refId ?? "A",
      query: renderInfluxQl(spec),
      resultFormat: spec.format ?? "time_series",
      ...(spec.alias === undefined ? {} : { alias: spec.alias }),
    },
    {
      measurement: spec.measurement,
      columns: ["time", ...spec.select.map((selection) => selection.as)],
      groupByTags: spec.groupByTags ?? [],
    },
  );
}
