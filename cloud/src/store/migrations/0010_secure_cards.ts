import type { Kysely } from "kysely";

/**
 * Credential kinds on badges (docs/hardware.md "NTAG 424 DNA cards"): `credential_kind` says
 * whether the card is a bare UID or an NTAG 424 DNA card enrolled for SUN; `read_counter` is
 * the highest SUN read counter any gateway reported for it (the next bundles carry it, so a
 * message used at one centre is refused at the others); `pin_hash` is the card's PIN for card +
 * PIN doors, as protocol pinHash gives it (never the PIN).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("badges")
    .addColumn("credential_kind", "text", (c) => c.notNull().defaultTo("uid"))
    .execute();
  await db.schema.alterTable("badges").addColumn("read_counter", "bigint").execute();
  await db.schema.alterTable("badges").addColumn("pin_hash", "text").execute();
  await db.schema
    .alterTable("doors")
    .addColumn("pin_required", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("doors").dropColumn("pin_required").execute();
  await db.schema.alterTable("badges").dropColumn("pin_hash").execute();
  await db.schema.alterTable("badges").dropColumn("read_counter").execute();
  await db.schema.alterTable("badges").dropColumn("credential_kind").execute();
}
