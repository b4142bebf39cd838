import { type Kysely, sql } from "kysely";

/**
 * Hours (docs/hours.md): presence sessions derived from access events, the corrections and
 * late-event carry-overs appended to them, and the frozen statements of closed months; plus the
 * per-centre presence settings (rounding step, inactivity limit, edit window).
 *
 * `sessions` is a derived table: rows are rebuilt from `access_events` when events arrive (a
 * session's id is the id of the access event that opened it, so a rebuild gives it the same id).
 * `session_adjustments` and `month_closes` are append-only: nothing there is updated or deleted.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("centres")
    .addColumn("rounding_step_minutes", "integer", (c) => c.notNull().defaultTo(15))
    .execute();
  await db.schema
    .alterTable("centres")
    .addColumn("inactivity_limit_minutes", "integer", (c) => c.notNull().defaultTo(720))
    .execute();
  await db.schema
    .alterTable("centres")
    .addColumn("edit_window_minutes", "integer", (c) => c.notNull().defaultTo(1440))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("centre_id", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint", (c) => c.notNull())
    .addColumn("close_reason", "text", (c) =>
      c
        .notNull()
        .check(sql`close_reason in ('exit', 'closing-time', 'inactivity', 'other-centre')`),
    )
    .addColumn("open_event_id", "text", (c) => c.notNull())
    .addColumn("close_event_id", "text")
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("computed_minutes", "integer", (c) => c.notNull())
    .addColumn("billable_minutes", "integer", (c) => c.notNull())
    .addColumn("adjustment_id", "text")
    .execute();
  // The monthly report groups one month by centre and member: this index covers it.
  await db.schema
    .createIndex("sessions_by_month")
    .on("sessions")
    .columns(["month", "centre_id", "member_id", "billable_minutes", "started_at"])
    .execute();
  await db.schema
    .createIndex("sessions_by_member_start")
    .on("sessions")
    .columns(["member_id", "started_at"])
    .execute();
  await db.schema
    .createIndex("sessions_by_centre_start")
    .on("sessions")
    .columns(["centre_id", "started_at"])
    .execute();

  // Per month, centre and member: the sums the monthly reports read (a few hundred thousand
  // rows for a million sessions), kept exact by the rebuild and by corrections.
  await db.schema
    .createTable("session_totals")
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("centre_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("session_count", "integer", (c) => c.notNull())
    .addColumn("billable_minutes", "integer", (c) => c.notNull())
    .addColumn("first_start", "bigint", (c) => c.notNull())
    .addColumn("last_start", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("session_totals_pk", ["month", "centre_id", "member_id"])
    .execute();

  await db.schema
    .createTable("session_adjustments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('correction', 'late-event')`))
    .addColumn("session_id", "text")
    .addColumn("centre_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    /** The month whose report counts it. */
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("ended_at", "bigint")
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("settled_minutes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("source_month", "text")
    .addColumn("flagged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("session_adjustments_by_session")
    .on("session_adjustments")
    .columns(["session_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("session_adjustments_by_month")
    .on("session_adjustments")
    .columns(["month", "centre_id", "member_id"])
    .execute();

  await db.schema
    .createTable("month_closes")
    .addColumn("month", "text", (c) => c.primaryKey())
    .addColumn("closed_at", "bigint", (c) => c.notNull())
    .addColumn("closed_by", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("statement", "text", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("month_closes").execute();
  await db.schema.dropTable("session_adjustments").execute();
  await db.schema.dropTable("session_totals").execute();
  await db.schema.dropTable("sessions").execute();
  for (const column of [
    "edit_window_minutes",
    "inactivity_limit_minutes",
    "rounding_step_minutes",
  ]) {
    await db.schema.alterTable("centres").dropColumn(column).execute();
  }
}
