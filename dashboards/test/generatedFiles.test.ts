import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../src/generatedFiles.js";
import { generateDashboardSchema, SCHEMA_FILE } from "../src/schema/dashboardSchema.js";
import { GRAFANA_DIR } from "./support/repoPaths.js";

/* CI fails when someone edits the dashboards' code without running `npm run build -w dashboards`. */

describe("committed Grafana files", () => {
  const files = generatedFiles();

  it.each(Object.keys(files))("deploy/grafana/%s is what the code generates", async (path) => {
    const committed = await readFile(join(GRAFANA_DIR, path), "utf8");
    expect(committed).toBe(files[path]);
  });

  it("has no dashboard file the code does not generate", async () => {
    const committed = await readdir(join(GRAFANA_DIR, "dashboards"));
    const generated = Object.keys(files)
      .filter((path) => path.startsWith("dashboards/"))
      .map((path) => path.slice("dashboards/".length));
    expect(committed.filter((name) => name.endsWith(".json")).sort()).toEqual(generated.sort());
  });

  it("has the JSON schema generated from the installed SDK's types", async () => {
    const committed = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(generateDashboardSchema());
  }, 120_000);
});
