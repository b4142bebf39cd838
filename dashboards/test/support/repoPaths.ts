import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export const GRAFANA_DIR = resolve(repoRoot, "deploy/grafana");
export const CLOUD_SOURCES = resolve(repoRoot, "cloud/src");
