import type { Kysely } from "kysely";

/**
 * Housekeeping for years of data (docs/cloud-store.md "Retention and archive").
 *
 * `audit_checkpoints`: where the audit chain was cut when its oldest entries were archived. The
 * entry `last_id` and everything before it left the database (they are in the archive files);
 * `last_hash` is that entry's hash, the link the first remaining entry must carry, so verify
 * starts there instead of at the zero hash. Each checkpoint is also vouched for by an
 * `audit.archive` entry in the remaining chain.
 *
 * `archived_months`: which months of which kind left the database, into which file (its
 * sha256), so the access log and the operator can say "archived" rather than "empty".
 *
 * No partitioning, and no new time index: `access_events_by_time (time, id)` and
 * `audit_log_by_at (at, id)` (0002, 0003) already serve month ranges on both engines; why not
 * partitions is in docs/cloud-store.md.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_checkpoints")
    .addColumn("last_id", "bigint", (c) => c.primaryKey())
    .addColumn("last_hash", "text", (c) => c.notNull())
    .addColumn("archived_at", "bigint", (c) => c.notNull())
    .addColumn("archived_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("archived_months")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("file", "text", (c) => c.notNull())
    .addColumn("rows", "bigint", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("archived_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("archived_months_pk", ["kind", "month", "file"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("archived_months").execute();
  await db.schema.dropTable("audit_checkpoints").execute();
}
