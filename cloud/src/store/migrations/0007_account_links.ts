import type { Kysely } from "kysely";

/**
 * Single-use links that let a person set a password (docs/api.md "Accounts and invitations"):
 * an invitation (creates the login and its roles) or a password reset. Only the sha256 of the
 * link's token is stored; `used_at` makes it single-use, `expires_at` short-lived.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("account_links")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("users.id"))
    .addColumn("member_id", "text", (c) => c.references("members.id"))
    .addColumn("grants", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();
  await db.schema
    .createIndex("account_links_email")
    .on("account_links")
    .columns(["email", "purpose"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("account_links").execute();
}
