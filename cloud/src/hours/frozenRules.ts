import type { Executor } from "../store/openStore.js";
import { type Month, monthLowerBound, monthUpperBound } from "./months.js";
import type { PresenceCentre } from "./presenceCentres.js";
import type { RoundingRule } from "./rounding.js";

/** One pass as settlement reads it: who sold it, where it is valid, [from, until). */
export interface FrozenPass {
  readonly member: string;
  /** The centre that sold it; null: the network (the cooperative). */
  readonly owner: string | null;
  /** The only centre it is valid at; null: every centre. */
  readonly validAt: string | null;
  readonly from: number;
  /** valid_to, or the revocation if earlier. */
  readonly until: number;
}

/**
 * What a month's close used to count and pay (docs/hours.md "Month close"): every pass touching
 * the month and each centre's rate and rounding, as they were at the close. Late events for a
 * closed month are carried with these, so a pass or rate edited after the close never moves
 * that month's money; only the events do.
 */
export interface FrozenRules {
  readonly passes: readonly FrozenPass[];
  readonly centres: Readonly<
    Record<string, { readonly hourlyRateCents: number; readonly rounding: RoundingRule }>
  >;
}

/** The rules as they stand now (what a close freezes), optionally for one member. */
export async function currentRules(
  db: Executor,
  month: Month,
  centres: ReadonlyMap<string, PresenceCentre>,
  memberId?: string,
): Promise<FrozenRules> {
  let query = db
    .selectFrom("passes")
    .select([
      "member_id",
      "owner_centre_id",
      "valid_centre_id",
      "valid_from",
      "valid_to",
      "revoked_at",
    ])
    .where("valid_from", "<", monthUpperBound(month))
    .where("valid_to", ">", monthLowerBound(month))
    .orderBy("member_id")
    .orderBy("valid_from")
    .orderBy("id");
  if (memberId !== undefined) query = query.where("member_id", "=", memberId);
  const passes = (await query.execute()).map((row) => ({
    member: row.member_id,
    owner: row.owner_centre_id,
    validAt: row.valid_centre_id,
    from: Number(row.valid_from),
    until:
      row.revoked_at === null
        ? Number(row.valid_to)
        : Math.min(Number(row.valid_to), Number(row.revoked_at)),
  }));
  const byCentre: Record<string, { hourlyRateCents: number; rounding: RoundingRule }> = {};
  for (const centre of [...centres.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    byCentre[centre.id] = { hourlyRateCents: centre.hourlyRateCents, rounding: centre.rounding };
  }
  return { passes, centres: byCentre };
}

/** The rules a closed month froze; for a month closed before they were frozen, today's. */
export async function rulesOfClose(
  db: Executor,
  month: Month,
  frozen: string | null,
  centres: ReadonlyMap<string, PresenceCentre>,
  memberId: string,
): Promise<FrozenRules> {
  if (frozen === null) return currentRules(db, month, centres, memberId);
  const rules = JSON.parse(frozen) as FrozenRules;
  return { ...rules, passes: rules.passes.filter((pass) => pass.member === memberId) };
}

/**
 * Settlement's pass rule (settlementRule.ts) over frozen passes: at the session's start the
 * member held a network pass valid at the centre and no pass sold by the centre itself.
 */
export function settledUnder(
  passes: readonly FrozenPass[],
  memberId: string,
  centreId: string,
  startedAt: number,
): boolean {
  let network = false;
  for (const pass of passes) {
    if (pass.member !== memberId || pass.from > startedAt || pass.until <= startedAt) continue;
    if (pass.owner === centreId) return false;
    if (pass.owner === null && (pass.validAt === null || pass.validAt === centreId)) {
      network = true;
    }
  }
  return network;
}
