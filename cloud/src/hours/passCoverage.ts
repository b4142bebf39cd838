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
interface MemberPasses {
  /** Network passes (sold by the cooperative), with the centre they are limited to, if any. */
  readonly network: PassSpan[];
  /** Passes sold by a centre, by that centre. */
  readonly own: Map<string, PassSpan[]>;
}

export class PassCoverage {
  private constructor(private readonly byMember: ReadonlyMap<string, MemberPasses>) {}

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
    const byMember = new Map<string, MemberPasses>();
    for (const row of await query.execute()) {
      let passes = byMember.get(row.member_id);
      if (passes === undefined) {
        passes = { network: [], own: new Map() };
        byMember.set(row.member_id, passes);
      }
      const span: PassSpan = {
        owner: row.owner_centre_id,
        validAt: row.valid_centre_id,
        from: row.valid_from,
        until: row.revoked_at === null ? row.valid_to : Math.min(row.valid_to, row.revoked_at),
      };
      if (span.owner === null) {
        passes.network.push(span);
      } else {
        const own = passes.own.get(span.owner) ?? [];
        own.push(span);
        passes.own.set(span.owner, own);
      }
    }
    return new PassCoverage(byMember);
  }

  of(centreId: string, memberId: string, first: number, last: number): Coverage {
    const passes = this.byMember.get(memberId);
    if (passes === undefined) return "none";
    const own = passes.own.get(centreId) ?? noSpans;
    let networkTouches = false;
    let networkCovers = false;
    for (const p of passes.network) {
      if (p.validAt !== null && p.validAt !== centreId) continue;
      if (p.from <= last && first < p.until) networkTouches = true;
      if (p.from <= first && last < p.until) networkCovers = true;
    }
    if (!networkTouches || own.some((p) => p.from <= first && last < p.until)) return "none";
    if (networkCovers && !own.some((p) => p.from <= last && first < p.until)) return "all";
    return "mixed";
  }
}

const noSpans: readonly PassSpan[] = [];
