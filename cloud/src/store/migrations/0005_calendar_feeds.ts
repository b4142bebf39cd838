import type { Kysely } from "kysely";

/**
 * Secret iCalendar feed links, one per member (docs/api.md "Calendar feeds"). Calendar apps
 * cannot send an Authorization header, so the token in the URL is the credential: only its
 * sha256 is stored, and asking for a new link replaces the row, which revokes the old link.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("calendar_feeds")
    .addColumn("member_id", "text", (c) => c.primaryKey().references("members.id"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("calendar_feeds").execute();
}
