/**
 * The load generator of bench/http.bench.ts, run as its own process so generating requests
 * does not compete with the servers for their event loop. Input: one JSON argument; output:
 * one JSON line on stdout.
 */
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  /**
   * When given, every request gets its own time window: "{from}" and "{to}" in the template
   * become ISO instants fromMs + i·stepMs and that + spanMs (to defeat a cache).
   */
  vary?: { template: string; fromMs: number; spanMs: number; stepMs: number; count: number };
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p99Ms: number;
  failed: number;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
const vary = spec.vary;
let next = 0;
const variedPath = (v: NonNullable<LoadSpec["vary"]>) => {
  const from = v.fromMs + (next % v.count) * v.stepMs;
  next += 1;
  return v.template
    .replace("{from}", encodeURIComponent(new Date(from).toISOString()))
    .replace("{to}", encodeURIComponent(new Date(from + v.spanMs).toISOString()));
};
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  headers: spec.headers ?? {},
  ...(vary
    ? {
        requests: [
          {
            setupRequest: (request) => {
              request.path = variedPath(vary);
              return request;
            },
          },
        ],
      }
    : {}),
});
const output: LoadResult = {
  requestsPerSecond: result.requests.total / result.duration,
  total: result.requests.total,
  p99Ms: result.latency.p99,
  failed: result.non2xx + result.errors + result.timeouts,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
