import { type RawBuilder, sql } from "kysely";

/**
 * Which sessions settlement pays (docs/hours.md "Reports"): the member held, at the
 * session's start, a live pass sold by the network (owner_centre_id NULL) valid at that centre,
 * and no live pass sold by the visited centre itself (then the centre was paid directly). Read
 * at report time, so a pass issued or revoked afterwards counts until the month is closed.
 * `s` is the sessions table's alias in the calling query.
 */
export function settledSession(): RawBuilder<boolean> {
  return sql<boolean>`exists (
      select 1 from passes p
      where p.member_id = s.member_id and p.owner_centre_id is null
        and p.valid_from <= s.started_at and p.valid_to > s.started_at
        and (p.revoked_at is null or p.revoked_at > s.started_at)
        and (p.valid_centre_id is null or p.valid_centre_id = s.centre_id))
    and not exists (
      select 1 from passes q
      where q.member_id = s.member_id and q.owner_centre_id = s.centre_id
        and q.valid_from <= s.started_at and q.valid_to > s.started_at
        and (q.revoked_at is null or q.revoked_at > s.started_at))`;
}

/** What the centre is paid for `minutes` at its hourly rate: integer cents, half up. */
export function amountCents(minutes: number, hourlyRateCents: number): number {
  return Math.floor((minutes * hourlyRateCents + 30) / 60);
}
