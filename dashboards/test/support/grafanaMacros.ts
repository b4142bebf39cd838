/** The values a Grafana panel substitutes into a raw InfluxQL query before sending it. */
export interface MacroValues {
  readonly fromMs: number;
  readonly toMs: number;
  readonly intervalMs: number;
  readonly variables: Readonly<Record<string, string>>;
}

function intervalText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms}ms`;
}

/** Escapes a single variable value the way Grafana's InfluxDB datasource does inside a regex. */
function regexEscape(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}/]/g, "\\$&");
}

/**
 * Expands the macros our dashboards use, as Grafana does: $timeFilter in epoch milliseconds,
 * $__interval_ms before $__interval (a prefix of it), then template variables (all of ours sit
 * inside a regex, so their values are regex-escaped).
 */
export function expandGrafanaMacros(query: string, values: MacroValues): string {
  let expanded = query
    .replaceAll("$timeFilter", `time >= ${values.fromMs}ms and time <= ${values.toMs}ms`)
    .replaceAll("$__interval_ms", String(values.intervalMs))
    .replaceAll("$__interval", intervalText(values.intervalMs));
  for (const [name, value] of Object.entries(values.variables)) {
    expanded = expanded.replaceAll(`$${name}`, regexEscape(value));
  }
  return expanded;
}
