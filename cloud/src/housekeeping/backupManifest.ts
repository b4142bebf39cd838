import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

export const backupManifestName = "backup-manifest.json";

/**
 * What a backup holds and what it does not (docs/operations.md "Backup and restore"). The
 * secrets outside the data directory are named so the operator knows what else to keep.
 */
export interface BackupManifest {
  readonly backup: "passerelle-data-dir";
  readonly version: 1;
  readonly createdAt: string;
  /** Database files copied with SQLite's online backup API (a consistent snapshot each). */
  readonly databases: readonly string[];
  readonly files: readonly {
    readonly path: string;
    readonly sha256: string;
    readonly bytes: number;
  }[];
  /** The store's migrations and audit chain head in the snapshot. */
  readonly migrations: readonly string[];
  readonly auditHead: { readonly lastId: number; readonly lastHash: string };
  readonly notIncluded: readonly string[];
}

export const secretsNotIncluded: readonly string[] = [
  "each gateway's broker secret: the cloud keeps only its hash (in the database, included); the secret itself is in the gateway's configuration, or replaced with POST /gateways/{id}/rotate-secret",
  "the environment file of serve (deploy/cloud/cloud.env: PASSERELLE_BROKER_PASSWORD, PASSERELLE_METRICS_TOKEN, PASSERELLE_SMTP_URL, PASSERELLE_INFLUX_PASSWORD / _TOKEN, PASSERELLE_POSTGRES_URL): back it up apart, it holds secrets",
  "an external broker's password and ACL files (deploy/mosquitto/): gateway entries there are made from the same secrets",
  "InfluxDB's data: back it up with influxd backup, or rebuild with backfill-timeseries",
];

export async function sha256OfFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const content = await readFile(path);
  return { sha256: createHash("sha256").update(content).digest("hex"), bytes: content.length };
}
