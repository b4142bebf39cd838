import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { allDashboards } from "../src/dashboards/allDashboards.js";
import { PROVISIONING_VARIABLES } from "../src/provisioning/provisioningFiles.js";
import { SCHEMA_FILE } from "../src/schema/dashboardSchema.js";
import { everyTarget, panelsOf } from "./support/dashboardTargets.js";
import { GRAFANA_DIR } from "./support/repoPaths.js";

const schema = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const dashboards = allDashboards();

/** The generated JSON as Grafana reads it (no functions, no undefined). */
function asJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value));
}

describe("dashboards against the schema of Grafana's dashboard types", () => {
  it.each(Object.keys(dashboards))("%s is valid", (file) => {
    const valid = validate(asJson(dashboards[file]));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("refuses a panel of the wrong shape and a target that is neither query type", () => {
    const broken = asJson(dashboards["network.json"]);
    const [first, second] = broken.panels as Record<string, unknown>[];
    if (first === undefined || second === undefined) throw new Error("network has panels");
    (first.gridPos as Record<string, unknown>).w = "wide";
    second.targets = [{ refId: "A", rawSql: "SELECT 1" }];
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => error.instancePath);
    expect(paths).toContain("/panels/0/gridPos/w");
    expect(paths.some((path) => path.startsWith("/panels/1/targets/0"))).toBe(true);
  });
});

describe("datasources", () => {
  it("every panel, query and variable uses a datasource uid the provisioning file declares", async () => {
    const provisioning = parse(
      await readFile(join(GRAFANA_DIR, "provisioning/datasources/passerelle.yaml"), "utf8"),
    ) as { datasources: { uid: string; type: string }[] };
    const declared = new Map(provisioning.datasources.map((source) => [source.uid, source.type]));
    expect([...declared.keys()].sort()).toEqual(["passerelle-influxdb", "passerelle-prometheus"]);

    const used = [
      ...Object.values(dashboards).flatMap((dashboard) => [
        ...panelsOf(dashboard).map((panel) => panel.datasource),
        ...(dashboard.templating.list ?? []).map((variable) => variable.datasource),
      ]),
      ...everyTarget(dashboards).map(({ target }) => target.datasource),
    ] as ({ uid?: string; type?: string } | undefined)[];
    expect(used.length).toBeGreaterThan(40);
    for (const ref of used) {
      expect(ref?.uid).toBeDefined();
      expect(declared.get(ref?.uid ?? "")).toBe(ref?.type);
    }
  });

  it("the dashboard provider points Grafana at the generated dashboards", async () => {
    const provider = parse(
      await readFile(join(GRAFANA_DIR, "provisioning/dashboards/passerelle.yaml"), "utf8"),
    );
    expect(provider.providers[0]).toMatchObject({
      type: "file",
      options: { path: `\${${PROVISIONING_VARIABLES.dashboardsPath}}` },
    });
  });
});
