import type { Kysely } from "kysely";

/**
 * Running doors from the console (docs/console.md "Doors and gateways", "Alarms"): a door's own
 * held-open time, a centre's lockdown (who ordered it and when), and the alarms raised from what
 * the gateways report, with their acknowledgement.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("doors").addColumn("held_open_seconds", "integer").execute();
  await db.schema.alterTable("centres").addColumn("lockdown_at", "bigint").execute();
  await db.schema.alterTable("centres").addColumn("lockdown_by", "text").execute();
  await db.schema
    .createTable("alarms")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("centre_id", "text", (c) => c.notNull().references("centres.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("door_id", "text")
    .addColumn("gateway_id", "text")
    .addColumn("detail", "text")
    .addColumn("raised_at", "bigint", (c) => c.notNull())
    .addColumn("cleared_at", "bigint")
    .addColumn("acknowledged_at", "bigint")
    .addColumn("acknowledged_by", "text")
    .addColumn("note", "text")
    .execute();
  await db.schema
    .createIndex("alarms_centre_raised")
    .on("alarms")
    .columns(["centre_id", "raised_at"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("alarms").execute();
  await db.schema.alterTable("centres").dropColumn("lockdown_by").execute();
  await db.schema.alterTable("centres").dropColumn("lockdown_at").execute();
  await db.schema.alterTable("doors").dropColumn("held_open_seconds").execute();
}
