import { allDashboards } from "./dashboards/allDashboards.js";
import { provisioningFiles } from "./provisioning/provisioningFiles.js";

/** Everything the build writes, by path relative to deploy/grafana/. */
export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, dashboard] of Object.entries(allDashboards())) {
    files[`dashboards/${name}`] = `${JSON.stringify(dashboard, null, 2)}\n`;
  }
  for (const [path, content] of Object.entries(provisioningFiles())) {
    files[`provisioning/${path}`] = content;
  }
  return files;
}
