import type { Kysely } from "kysely";

/**
 * Presence-session rebuild marks (docs/scale.md "Sessions after an instance dies"): one row per
 * running cloud instance saying "events received since `pending_since` may be committed by me
 * and not yet reflected in sessions", refreshed by its heartbeat. The row of an instance whose
 * heartbeat stopped is claimed by another, which rebuilds from that instant and deletes it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("session_rebuild_marks")
    .addColumn("instance_id", "text", (c) => c.primaryKey())
    .addColumn("pending_since", "bigint", (c) => c.notNull())
    .addColumn("heartbeat_at", "bigint", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("session_rebuild_marks").execute();
}
