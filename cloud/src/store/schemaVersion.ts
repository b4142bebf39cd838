import { type Kysely, sql } from "kysely";
import type { Database } from "./database.js";
import { migrations } from "./migrations/index.js";
import { StoreError } from "./storeError.js";

/** kysely's Migrator bookkeeping table (its default name). */
const migrationTable = "kysely_migration";

/**
 * The migrations recorded in the database that this build does not know: the database was
 * migrated by a newer version of the cloud. Empty on a fresh database (no bookkeeping table).
 */
export async function unknownAppliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === migrationTable)) return [];
  const rows = await sql<{ name: string }>`select name from ${sql.table(migrationTable)}`.execute(
    db,
  );
  return rows.rows.map((row) => row.name).filter((name) => !(name in migrations));
}

/**
 * Refuses a database migrated by a newer version, before anything reads or writes it: this
 * build's queries may not fit the newer schema, and kysely's own check would only say
 * "corrupted migrations". Rolling back means running the newer version, or restoring the
 * backup made before the upgrade (docs/operations.md "Upgrades").
 */
export async function refuseNewerSchema(db: Kysely<Database>): Promise<void> {
  const unknown = await unknownAppliedMigrations(db);
  if (unknown.length === 0) return;
  const known = Object.keys(migrations);
  throw new StoreError(
    "schema-too-new",
    `the database was migrated by a newer version of Passerelle (migration ${unknown.sort().join(", ")} unknown here; this version knows up to ${known[known.length - 1]}): run that version or newer, or restore the backup made before the upgrade`,
  );
}
