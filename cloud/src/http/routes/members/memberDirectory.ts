import { type ExpressionBuilder, sql } from "kysely";
import { notFound } from "../../../domain/domainError.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import type { Database, MembersTable } from "../../../store/database.js";
import type { Principal } from "../../principal.js";

/**
 * Which members staff may see, in SQL so the list pages there. A manager sees the members
 * "related to" their centres: the home centre is one of them, or a pass sold for or valid
 * only at one of them. A network pass does not count (it is valid everywhere, and would show
 * every manager the whole network, docs/architecture.md "Who sees what"); the live routes show who is
 * inside a centre.
 */
function relatedTo(centreIds: readonly string[]) {
  return (eb: ExpressionBuilder<Database, "members">) =>
    eb.or([
      eb("members.home_centre_id", "in", [...centreIds]),
      eb.exists(
        eb
          .selectFrom("passes")
          .select("passes.id")
          .whereRef("passes.member_id", "=", "members.id")
          .where((pass) =>
            pass.or([
              pass("passes.valid_centre_id", "in", [...centreIds]),
              pass("passes.owner_centre_id", "in", [...centreIds]),
            ]),
          ),
      ),
    ]);
}

/** The centres whose members the caller sees; undefined: all (coordinator). */
const scopeOf = (principal: Principal) => (principal.coordinator ? undefined : principal.managerOf);

export interface MemberSearch {
  /** Members related to this centre (home or pass); the caller's scope still applies. */
  centreId?: string;
  /** Part of the name or e-mail, any case. */
  q?: string;
  includeArchived?: boolean;
  /** The previous page's last id. */
  after?: string;
  limit: number;
}

export async function searchMembers(
  deps: ServiceDeps,
  principal: Principal,
  search: MemberSearch,
): Promise<MembersTable[]> {
  const scope = scopeOf(principal);
  if (scope !== undefined && scope.length === 0) return [];
  let query = deps.store.db.selectFrom("members").selectAll("members");
  if (scope !== undefined) query = query.where(relatedTo(scope));
  if (search.centreId !== undefined) query = query.where(relatedTo([search.centreId]));
  if (search.q !== undefined) {
    // LIKE with its wildcards escaped, on lower() both sides: SQLite and PostgreSQL alike.
    const pattern = `%${search.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(members.name) like ${pattern} escape '\\'`,
        sql<boolean>`lower(members.email) like ${pattern} escape '\\'`,
      ]),
    );
  }
  if (!search.includeArchived) query = query.where("members.archived_at", "is", null);
  if (search.after !== undefined) query = query.where("members.id", ">", search.after);
  return query.orderBy("members.id").limit(search.limit).execute();
}

/** Whether the caller may see this member (a coordinator: any that exists). */
export async function canSeeMember(
  deps: ServiceDeps,
  principal: Principal,
  memberId: string,
): Promise<boolean> {
  const scope = scopeOf(principal);
  let query = deps.store.db.selectFrom("members").select("members.id").where("id", "=", memberId);
  if (scope !== undefined) {
    if (scope.length === 0) return false;
    query = query.where(relatedTo(scope));
  }
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * For routes under a member: the same 404 as for a member that does not exist when the caller
 * may not see them, so ids of other centres' members cannot be probed.
 */
export async function requireVisibleMember(
  deps: ServiceDeps,
  principal: Principal,
  memberId: string,
): Promise<void> {
  if (!(await canSeeMember(deps, principal, memberId))) {
    throw notFound("member", memberId, "memberId");
  }
}
