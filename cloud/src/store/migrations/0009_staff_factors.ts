import type { Kysely } from "kysely";

/**
 * People in the console (issue 16): a staff login's optional TOTP second factor (RFC 6238) with
 * its single-use recovery codes, and the last four hex digits of each badge's UID so a person
 * can tell two cards apart without the UID itself being kept.
 *
 * - `second_factors`: one row per login; `secret` is the TOTP key sealed with AES-256-GCM
 *   (security/sealedSecret.ts), never plain; `enabled_at` NULL while an enrolment waits for
 *   its first code; `last_step` refuses a code replayed within its 30 s window.
 * - `recovery_codes`: only the sha256 of each code; `used_at` makes it single-use.
 * - `badges.uid_last4`: NULL for badges issued before this migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("second_factors")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("enabled_at", "bigint")
    .addColumn("last_step", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();
  await db.schema
    .createIndex("recovery_codes_user")
    .on("recovery_codes")
    .columns(["user_id", "code_hash"])
    .execute();
  await db.schema.alterTable("badges").addColumn("uid_last4", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("badges").dropColumn("uid_last4").execute();
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema.dropTable("second_factors").execute();
}
