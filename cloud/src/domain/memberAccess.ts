import type { Executor } from "../store/openStore.js";

/** A day of slack so a change just after a pass or booking ended still reaches its bundles. */
const SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * The centres whose bundles may carry this member's credentials: where a pass of theirs is
 * valid (a network-wide pass: every centre), where they hold a booking, where they manage. A
 * badge change recompiles exactly these (not the whole network), which matters with hundreds
 * of centres.
 */
export async function memberAccessCentres(
  db: Executor,
  memberId: string,
  now: number,
): Promise<string[]> {
  const passes = await db
    .selectFrom("passes")
    .select("valid_centre_id")
    .where("member_id", "=", memberId)
    .where("revoked_at", "is", null)
    .where("valid_to", ">", now - SLACK_MS)
    .execute();
  if (passes.some((pass) => pass.valid_centre_id === null)) return allActiveCentres(db);
  const bookings = await db
    .selectFrom("bookings")
    .select("centre_id")
    .distinct()
    .where("member_id", "=", memberId)
    .where("status", "=", "confirmed")
    .where("ends_at", ">", now - SLACK_MS)
    .execute();
  const managed = await db
    .selectFrom("staff_roles")
    .innerJoin("users", "users.id", "staff_roles.user_id")
    .select("staff_roles.centre_id")
    .where("users.member_id", "=", memberId)
    .where("staff_roles.role", "=", "manager")
    .execute();
  const centres = new Set<string>();
  for (const pass of passes) if (pass.valid_centre_id !== null) centres.add(pass.valid_centre_id);
  for (const booking of bookings) centres.add(booking.centre_id);
  for (const role of managed) if (role.centre_id !== null) centres.add(role.centre_id);
  return [...centres].sort();
}

export async function allActiveCentres(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom("centres")
    .select("id")
    .where("archived_at", "is", null)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}
