import { type Kysely, sql } from "kysely";

/**
 * What gateways report (the access log, door alarms) and the bundle versions issued per centre.
 * `access_events` is append-only; (gateway_id, seq) is the ingest's dedupe key
 * (docs/cloud-mqtt.md "Group commit and the application ack"), and the indexes serve the access-log queries: by centre, by member, by door, by time.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("access_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("gateway_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn("centre_id", "text", (c) => c.notNull())
    .addColumn("time", "bigint", (c) => c.notNull())
    .addColumn("received_at", "bigint", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("door_id", "text")
    .addColumn("direction", "text")
    .addColumn("credential_hash", "text")
    .addColumn("member_id", "text")
    .addColumn("decision", "text", (c) =>
      c.check(sql`decision is null or decision in ('granted', 'denied')`),
    )
    .addColumn("reason", "text")
    .addColumn("bundle_version", "bigint")
    .addColumn("detail", "text")
    .addUniqueConstraint("access_events_gateway_seq", ["gateway_id", "seq"])
    .execute();
  await db.schema
    .createIndex("access_events_by_centre_time")
    .on("access_events")
    .columns(["centre_id", "time", "id"])
    .execute();
  await db.schema
    .createIndex("access_events_by_member_time")
    .on("access_events")
    .columns(["member_id", "time", "id"])
    .execute();
  await db.schema
    .createIndex("access_events_by_time")
    .on("access_events")
    .columns(["time", "id"])
    .execute();

  await db.schema
    .createTable("bundle_versions")
    .addColumn("centre_id", "text", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("issued_at", "bigint", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("bundle_versions").execute();
  await db.schema.dropTable("access_events").execute();
}
