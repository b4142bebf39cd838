import { genesisHash } from "@passerelle/protocol";
import { type Kysely, sql } from "kysely";

/**
 * The tamper-evident audit log (docs/audit.md). `audit_log` rows are chained: each holds the
 * hash of the row before it. Ids are given by the appender from `audit_chain_head`, which it
 * locks, so they are dense (1, 2, 3…) in chain order; a removed row leaves a broken link, a
 * removed tail a head that no longer matches. `detail` is canonical JSON text (not jsonb: the
 * hash covers these exact bytes, and PostgreSQL would reformat jsonb).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (c) => c.primaryKey().check(sql`id >= 1`))
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("centre_id", "text")
    .addColumn("member_id", "text")
    .addColumn("door_id", "text")
    .addColumn("outcome", "text")
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  // The query API filters by one of these and pages by id (newest first).
  for (const column of ["centre_id", "member_id", "door_id", "actor"]) {
    await db.schema
      .createIndex(`audit_log_by_${column.replace(/_id$/, "")}`)
      .on("audit_log")
      .columns([column, "id"])
      .execute();
  }
  await db.schema.createIndex("audit_log_by_at").on("audit_log").columns(["at", "id"]).execute();

  await db.schema
    .createTable("audit_chain_head")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("last_id", "bigint", (c) => c.notNull())
    .addColumn("last_hash", "text", (c) => c.notNull())
    .execute();
  await db
    .insertInto("audit_chain_head")
    .values({ id: 1, last_id: 0, last_hash: genesisHash })
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_chain_head").execute();
  await db.schema.dropTable("audit_log").execute();
}
