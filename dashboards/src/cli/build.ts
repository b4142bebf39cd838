import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedFiles } from "../generatedFiles.js";
import { generateDashboardSchema, SCHEMA_FILE } from "../schema/dashboardSchema.js";

/** deploy/grafana/ of the repository this file lives in. */
export const GRAFANA_DEPLOY_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../deploy/grafana",
);

async function build(): Promise<void> {
  for (const [path, content] of Object.entries(generatedFiles())) {
    const target = join(GRAFANA_DEPLOY_DIR, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    process.stdout.write(`wrote deploy/grafana/${path}\n`);
  }
  // The schema the tests check the dashboards against, regenerated with the SDK it comes from.
  await writeFile(SCHEMA_FILE, `${JSON.stringify(generateDashboardSchema(), null, 2)}\n`);
  process.stdout.write("wrote dashboards/schema/dashboard.schema.json\n");
}

await build();
