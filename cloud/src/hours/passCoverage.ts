import type { Executor } from "../store/openStore.js";
import { type Month, monthLowerBound, monthUpperBound } from "./months.js";

interface PassSpan {
  readonly owner: string | null;
  readonly validAt: string | null;
  readonly from: number;
  /** valid_to, or the revocation if earlier: the pass covers [from, until). */
  readonly until: number;
}

export type Coverage = "all" | "none" | "mixed";

/**
 * Settlement's pass rule (settlementRule.ts) for a whole (centre, member) group of sessions at
 * once: from the first and last session start, "all" when one network pass valid there covers
 * both and no pass of the centre's own touches the span, "none" when no network pass touches it
 * or one of the centre's own covers it; "mixed" (passes changing within the month) is left to
 * the per-session SQL rule. Exactly the per-session rule, without a lookup per session.
 */
export class PassCoverage {
  private constructor(private readonly byMember: ReadonlyMap<string, readonly PassSpan[]>) {}

  static async load(db: Executor, month: Month, memberId?: string): Promise<PassCoverage> {
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
      .where("valid_to", ">", monthLowerBound(month));
    if (memberId !== undefined) query = query.where("member_id", "=", memberId);
    const byMember = new Map<string, PassSpan[]>();
    for (const row of await query.execute()) {
      const spans = byMember.get(row.member_id) ?? [];
      spans.push({
        owner: row.owner_centre_id,
        validAt: row.valid_centre_id,
        from: row.valid_from,
        until: row.revoked_at === null ? row.valid_to : Math.min(row.valid_to, row.revoked_at),
      });
      byMember.set(row.member_id, spans);
    }
    return new PassCoverage(byMember);
  }

  of(centreId: string, memberId: string, first: number, last: number): Coverage {
    const spans = this.byMember.get(memberId) ?? [];
    const covers = (p: PassSpan) => p.from <= first && last < p.until;
    const touches = (p: PassSpan) => p.from <= last && first < p.until;
    const network = spans.filter(
      (p) => p.owner === null && (p.validAt === null || p.validAt === centreId),
    );
    const own = spans.filter((p) => p.owner === centreId);
    if (own.some(covers) || !network.some(touches)) return "none";
    if (network.some(covers) && !own.some(touches)) return "all";
    return "mixed";
  }
}
