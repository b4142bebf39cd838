import { type Kysely, sql } from "kysely";

/**
 * Presence you can trust (docs/hours.md): how each door lets people out, each centre's no-exit
 * policy and rounding rule, how each session ended and whether a person confirmed it, and what
 * a month's close used (passes and rates) so later edits never move a closed month's money.
 *
 * `sessions` and `session_adjustments` are rebuilt (create, copy, drop, rename) because their
 * check constraints grow new values and SQLite cannot alter a constraint; every row is kept.
 * Sessions from before this migration count as confirmed: nobody is left to confirm them.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("doors")
    .addColumn("exit_kind", "text", (c) => c.notNull().defaultTo("exit-button"))
    .execute();
  await db.schema
    .alterTable("centres")
    .addColumn("no_exit_policy", "text", (c) => c.notNull().defaultTo("last-seen"))
    .execute();
  await db.schema
    .alterTable("centres")
    .addColumn("no_exit_minutes", "integer", (c) => c.notNull().defaultTo(30))
    .execute();
  await db.schema
    .alterTable("centres")
    .addColumn("rounding_mode", "text", (c) => c.notNull().defaultTo("session-up"))
    .execute();

  await db.schema
    .createTable("sessions_v6")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("centre_id", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint", (c) => c.notNull())
    /** Its latest granted entry at the centre. */
    .addColumn("last_seen_at", "bigint", (c) => c.notNull())
    /** Until when the presence rules may have held it open (the rebuild's quiet points). */
    .addColumn("held_until", "bigint", (c) => c.notNull())
    .addColumn("close_reason", "text", (c) =>
      c
        .notNull()
        .check(
          sql`close_reason in ('exit', 'last-out', 'other-centre', 'inactivity', 'closing-time', 'cap', 'correction')`,
        ),
    )
    .addColumn("rule_close_reason", "text", (c) => c.notNull())
    .addColumn("confirmed", "integer", (c) => c.notNull())
    .addColumn("open_event_id", "text", (c) => c.notNull())
    .addColumn("close_event_id", "text")
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("duration_ms", "bigint", (c) => c.notNull())
    .addColumn("computed_minutes", "integer", (c) => c.notNull())
    .addColumn("billable_minutes", "integer", (c) => c.notNull())
    .addColumn("effective_ms", "bigint", (c) => c.notNull())
    .addColumn("adjustment_id", "text")
    .execute();
  await sql`insert into sessions_v6 (id, member_id, centre_id, started_at, ended_at, last_seen_at,
      held_until, close_reason,
      rule_close_reason, confirmed, open_event_id, close_event_id, local_date, month, duration_ms,
      computed_minutes, billable_minutes, effective_ms, adjustment_id)
    select id, member_id, centre_id, started_at, ended_at, ended_at, ended_at, close_reason,
      close_reason, 1,
      open_event_id, close_event_id, local_date, month, ended_at - started_at, computed_minutes,
      billable_minutes,
      case when adjustment_id is null then ended_at - started_at else billable_minutes * 60000 end,
      adjustment_id
    from sessions`.execute(db);
  await db.schema.dropTable("sessions").execute();
  await db.schema.alterTable("sessions_v6").renameTo("sessions").execute();
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
  // The rebuild's quiet point: sessions the rules may still have held open at a time.
  await db.schema
    .createIndex("sessions_by_centre_held")
    .on("sessions")
    .columns(["centre_id", "held_until"])
    .execute();
  // Network figures read every session overlapping a period, however long ago it began.
  await db.schema
    .createIndex("sessions_by_centre_end")
    .on("sessions")
    .columns(["centre_id", "ended_at"])
    .execute();

  await db.schema
    .createTable("session_adjustments_v6")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('correction', 'late-event', 'confirmation')`),
    )
    .addColumn("session_id", "text")
    .addColumn("centre_id", "text", (c) => c.notNull())
    .addColumn("member_id", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("ended_at", "bigint")
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("settled_minutes", "integer", (c) => c.notNull().defaultTo(0))
    /** Late event: what the carried settled minutes are worth at the closed month's rate. */
    .addColumn("settled_cents", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("source_month", "text")
    .addColumn("flagged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await sql`insert into session_adjustments_v6 (id, kind, session_id, centre_id, member_id, month,
      started_at, ended_at, minutes, settled_minutes, settled_cents, source_month, flagged, reason,
      actor, created_at)
    select a.id, a.kind, a.session_id, a.centre_id, a.member_id, a.month, a.started_at,
      a.ended_at, a.minutes, a.settled_minutes,
      coalesce((select (a.settled_minutes * c.hourly_rate_cents + 30) / 60
        from centres c where c.id = a.centre_id), 0),
      a.source_month, a.flagged, a.reason, a.actor, a.created_at
    from session_adjustments a`.execute(db);
  await db.schema.dropTable("session_adjustments").execute();
  await db.schema.alterTable("session_adjustments_v6").renameTo("session_adjustments").execute();
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

  // The month-total rounding rounds the sum of the sessions' exact durations.
  await db.schema
    .alterTable("session_totals")
    .addColumn("effective_ms", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update session_totals set effective_ms = billable_minutes * 60000`.execute(db);

  // What the close used: passes and rates as they were, for carrying late events (lateCarry.ts).
  await db.schema.alterTable("month_closes").addColumn("frozen_rules", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("month_closes").dropColumn("frozen_rules").execute();
  await db.schema.alterTable("session_totals").dropColumn("effective_ms").execute();
  for (const column of ["rounding_mode", "no_exit_minutes", "no_exit_policy"]) {
    await db.schema.alterTable("centres").dropColumn(column).execute();
  }
  await db.schema.alterTable("doors").dropColumn("exit_kind").execute();
  // sessions and session_adjustments keep their wider constraints: narrowing them could fail
  // on rows written since, and both tables stay valid for 0004's code.
}
