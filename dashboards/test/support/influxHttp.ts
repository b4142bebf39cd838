export interface InfluxSeries {
  readonly name: string;
  readonly tags?: Record<string, string>;
  readonly columns: string[];
  readonly values: unknown[][];
}

interface QueryResponse {
  results?: { series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

/** One InfluxQL statement; times come back as epoch milliseconds. */
export async function influxQuery(url: string, database: string, query: string) {
  const params = new URLSearchParams({ db: database, q: query, epoch: "ms" });
  const response = await fetch(`${url}/query?${params}`, { method: "POST" });
  const body = (await response.json()) as QueryResponse;
  const result = body.results?.[0];
  const error = body.error ?? result?.error;
  if (!response.ok || error !== undefined) {
    throw new Error(`InfluxDB refused ${query}: ${error ?? response.status}`);
  }
  return result?.series ?? [];
}

export async function influxWrite(url: string, database: string, lines: readonly string[]) {
  const params = new URLSearchParams({ db: database, precision: "ms" });
  const response = await fetch(`${url}/write?${params}`, {
    method: "POST",
    body: lines.join("\n"),
  });
  if (response.status !== 204) {
    throw new Error(`InfluxDB write failed: ${response.status} ${await response.text()}`);
  }
}
