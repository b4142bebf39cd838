import { generateCredentialSalt } from "@passerelle/protocol";
import { type Kysely, sql } from "kysely";

/**
 * The first schema: the network's centres and their resources, doors and gateways; members,
 * passes and badges; staff, logins and tokens; bookings. Types are chosen to mean the same in
 * SQLite and PostgreSQL (`bigint` is INTEGER affinity in SQLite; text everywhere else).
 * Enumerations are CHECK constraints so a bad value is refused by either engine.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  // The network's credential-hash salt is born with the database and never changes: every
  // stored badge hash depends on it (protocol/src/credentialHash.ts).
  await db
    .insertInto("settings")
    .values({ key: "credential_salt", value: generateCredentialSalt() })
    .execute();

  await db.schema
    .createTable("centres")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("opening_hours", "text", (c) => c.notNull())
    .addColumn("closed_dates", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull().check(sql`capacity >= 0`))
    .addColumn("hourly_rate_cents", "integer", (c) =>
      c.notNull().check(sql`hourly_rate_cents >= 0`),
    )
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("booking_grace_minutes", "integer", (c) => c.notNull())
    .addColumn("no_show_release_minutes", "integer", (c) => c.notNull())
    .addColumn("room_buffer_minutes", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("archived_at", "bigint")
    .execute();

  await db.schema
    .createTable("resources")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("centre_id", "text", (c) => c.notNull().references("centres.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('desk', 'zone', 'room')`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("capacity", "integer", (c) => c.notNull().check(sql`capacity >= 1`))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("archived_at", "bigint")
    .execute();
  // Availability pages through resources in id order, per centre or network-wide: with the id
  // last in the index the engine walks it in order and stops at the page size, no sort.
  await db.schema
    .createIndex("resources_by_centre")
    .on("resources")
    .columns(["centre_id", "kind", "id"])
    .execute();
  await db.schema
    .createIndex("resources_by_kind")
    .on("resources")
    .columns(["kind", "id"])
    .execute();

  await db.schema
    .createTable("gateways")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("centre_id", "text", (c) => c.notNull().references("centres.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("secret_rotated_at", "bigint", (c) => c.notNull())
    .addColumn("disabled_at", "bigint")
    .execute();
  await db.schema.createIndex("gateways_by_centre").on("gateways").column("centre_id").execute();

  await db.schema
    .createTable("doors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("centre_id", "text", (c) => c.notNull().references("centres.id"))
    .addColumn("gateway_id", "text", (c) => c.references("gateways.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("direction", "text", (c) =>
      c.notNull().check(sql`direction in ('in', 'out', 'both')`),
    )
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("doors_by_centre").on("doors").column("centre_id").execute();

  await db.schema
    .createTable("door_resources")
    .addColumn("door_id", "text", (c) => c.notNull().references("doors.id").onDelete("cascade"))
    .addColumn("resource_id", "text", (c) => c.notNull().references("resources.id"))
    .addPrimaryKeyConstraint("door_resources_pk", ["door_id", "resource_id"])
    .execute();
  await db.schema
    .createIndex("door_resources_by_resource")
    .on("door_resources")
    .column("resource_id")
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("home_centre_id", "text", (c) => c.references("centres.id"))
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("archived_at", "bigint")
    .execute();

  await db.schema
    .createTable("passes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('network', 'centre-membership', 'day', 'hour-credits')`),
    )
    .addColumn("owner_centre_id", "text", (c) => c.references("centres.id"))
    .addColumn("valid_centre_id", "text", (c) => c.references("centres.id"))
    .addColumn("valid_from", "bigint", (c) => c.notNull())
    .addColumn("valid_to", "bigint", (c) => c.notNull())
    .addColumn("credit_minutes", "integer")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addColumn("revoked_by", "text")
    .addColumn("revoke_reason", "text")
    .addCheckConstraint("passes_valid_range", sql`valid_to > valid_from`)
    .execute();
  await db.schema.createIndex("passes_by_member").on("passes").column("member_id").execute();

  await db.schema
    .createTable("badges")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("credential_hash", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("issued_at", "bigint", (c) => c.notNull())
    .addColumn("issued_by", "text", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addColumn("revoked_by", "text")
    .addColumn("revoke_reason", "text")
    .execute();
  await db.schema.createIndex("badges_by_member").on("badges").column("member_id").execute();
  // One live badge per card; a revoked card may be issued again (to the same or another member).
  await db.schema
    .createIndex("badges_active_credential")
    .on("badges")
    .column("credential_hash")
    .unique()
    .where(sql.ref("revoked_at"), "is", null)
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.unique().references("members.id"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("disabled_at", "bigint")
    .execute();

  await db.schema
    .createTable("staff_roles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('manager', 'coordinator')`))
    .addColumn("centre_id", "text", (c) => c.references("centres.id"))
    .addColumn("offline_access", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addCheckConstraint(
      "staff_roles_scope",
      sql`(role = 'manager' and centre_id is not null) or (role = 'coordinator' and centre_id is null)`,
    )
    .execute();
  await db.schema.createIndex("staff_roles_by_user").on("staff_roles").column("user_id").execute();

  await db.schema
    .createTable("auth_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('session', 'api')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("auth_tokens_by_user").on("auth_tokens").column("user_id").execute();

  await db.schema
    .createTable("booking_series")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("resource_id", "text", (c) => c.notNull().references("resources.id"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("rrule", "text", (c) => c.notNull())
    .addColumn("local_start", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("duration_minutes", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("bookings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("resource_id", "text", (c) => c.notNull().references("resources.id"))
    .addColumn("centre_id", "text", (c) => c.notNull().references("centres.id"))
    .addColumn("member_id", "text", (c) => c.notNull().references("members.id"))
    .addColumn("series_id", "text", (c) => c.references("booking_series.id"))
    .addColumn("starts_at", "bigint", (c) => c.notNull())
    .addColumn("ends_at", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('confirmed', 'cancelled', 'released')`),
    )
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("checked_in_at", "bigint")
    .addColumn("cancelled_at", "bigint")
    .addColumn("cancelled_by", "text")
    .addColumn("cancel_reason", "text")
    .addCheckConstraint("bookings_range", sql`ends_at > starts_at`)
    .execute();
  // The conflict check and availability scan one resource's bookings around a time; ends_at
  // and status in the index answer them without reading the table.
  await db.schema
    .createIndex("bookings_by_resource")
    .on("bookings")
    .columns(["resource_id", "starts_at", "ends_at", "status"])
    .execute();
  await db.schema
    .createIndex("bookings_by_centre")
    .on("bookings")
    .columns(["centre_id", "starts_at"])
    .execute();
  await db.schema
    .createIndex("bookings_by_member")
    .on("bookings")
    .columns(["member_id", "starts_at"])
    .execute();
  // Only the no-show job looks for confirmed bookings without check-in, and those are few:
  // a partial index stays small, and an index led by status would lure the planner away
  // from bookings_by_resource for every conflict check.
  await db.schema
    .createIndex("bookings_awaiting_check_in")
    .on("bookings")
    .column("starts_at")
    // Literal SQL: PostgreSQL accepts no bound parameters in DDL.
    .where(sql<boolean>`status = 'confirmed' and checked_in_at is null`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "bookings",
    "booking_series",
    "auth_tokens",
    "staff_roles",
    "users",
    "badges",
    "passes",
    "members",
    "door_resources",
    "doors",
    "gateways",
    "resources",
    "centres",
    "settings",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
