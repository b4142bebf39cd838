import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { collectDefaultMetrics, Registry } from "prom-client";
import { CLOUD_SOURCES } from "./repoPaths.js";

/*
 * The cloud names its metrics as string literals next to the prom-client call that registers
 * them (counterIn/gaugeIn/histogramIn or new Counter/Gauge/Histogram). Reading the sources
 * keeps the dashboards workspace free of a dependency on the cloud.
 */
const REGISTRATION =
  /(counterIn|gaugeIn|histogramIn|new Counter|new Gauge|new Histogram)\(\s*(?:registry,\s*|\{\s*name:\s*)"([a-z_:][a-z0-9_:]*)"/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The default metrics below are only there if the cloud registers them somewhere. */
export async function cloudCallsCollectDefaultMetrics(): Promise<boolean> {
  for (const file of await sourceFiles(CLOUD_SOURCES)) {
    if ((await readFile(file, "utf8")).includes("collectDefaultMetrics({")) return true;
  }
  return false;
}

/** Series names a scrape of the cloud's /metrics can contain (histograms expanded). */
export async function cloudMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  const add = (name: string, histogram: boolean) => {
    names.add(name);
    if (histogram) for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
  };
  for (const file of await sourceFiles(CLOUD_SOURCES)) {
    for (const match of (await readFile(file, "utf8")).matchAll(REGISTRATION)) {
      const [, call, name] = match;
      if (call !== undefined && name !== undefined)
        add(name, call.endsWith("istogramIn") || call === "new Histogram");
    }
  }
  // The cloud calls collectDefaultMetrics (cloud/src/http/plugins/processMetrics.ts).
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  for (const metric of await defaults.getMetricsAsJSON()) {
    // prom-client types this as an enum, but the JSON carries the text ("histogram").
    add(metric.name, String(metric.type) === "histogram");
  }
  return names;
}
