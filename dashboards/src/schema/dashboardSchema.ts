import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const here = dirname(fileURLToPath(import.meta.url));

export const SCHEMA_FILE = join(here, "../../schema/dashboard.schema.json");

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/*
 * The SDK types a panel's targets as its marker interface `Dataquery`, which has no fields, so
 * the generated schema would refuse every query. Targets are narrowed to the query types our
 * panels use instead.
 */
function replaceTargets(node: unknown, targetSchema: JsonObject): void {
  if (Array.isArray(node)) {
    for (const item of node) replaceTargets(item, targetSchema);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && isObject(value) && isObject(value.targets)) {
      value.targets = { type: "array", items: targetSchema };
    }
    replaceTargets(value, targetSchema);
  }
}

/*
 * The generator names anonymous interfaces after a hash that includes the file's absolute
 * path, so the same SDK would give another schema in another checkout: they are renamed by
 * content instead.
 */
function stableDefinitionNames(schema: JsonObject): JsonObject {
  const definitions = isObject(schema.definitions) ? schema.definitions : {};
  const anonymous = Object.keys(definitions)
    .filter((name) => name.startsWith("interface-"))
    .sort((a, b) => JSON.stringify(definitions[a]).localeCompare(JSON.stringify(definitions[b])));
  let text = JSON.stringify(schema);
  anonymous.forEach((name, index) => {
    text = text.replaceAll(`"${name}"`, `"anonymous-${index + 1}"`);
    text = text.replaceAll(`/definitions/${name}"`, `/definitions/anonymous-${index + 1}"`);
  });
  return JSON.parse(text) as JsonObject;
}

/** A JSON schema for the dashboards, generated from the SDK's TypeScript types. */
export function generateDashboardSchema(): JsonObject {
  const generator = createGenerator({
    path: join(here, "schemaTypes.ts"),
    tsconfig: join(here, "../../tsconfig.json"),
    skipTypeCheck: true,
    expose: "none",
    topRef: false,
    additionalProperties: false,
  });
  const dashboard = generator.createSchema("GrafanaDashboard") as JsonObject;
  const prometheus = generator.createSchema("PrometheusTarget") as JsonObject;
  const influx = generator.createSchema("InfluxTarget") as JsonObject;
  for (const schema of [prometheus, influx]) delete schema.$schema;
  replaceTargets(dashboard, { anyOf: [influx, prometheus] });
  return stableDefinitionNames(dashboard);
}
