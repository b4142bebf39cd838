import { conflict, notFound } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { grantStaffRole, revokeStaffRole, type StaffRoleGrant } from "../domain/staff.js";
import { setUserDisabled, type User } from "../domain/users.js";
import type { StaffRole } from "../store/database.js";
import { type AccountScope, outsideScope, requireCentres } from "./accountScope.js";

export interface StaffMember {
  readonly userId: string;
  readonly email: string;
  readonly memberId: string | null;
  readonly disabled: boolean;
  readonly roles: readonly { id: string; role: StaffRole; centreId: string | null }[];
}

/**
 * The staff this scope administers: every login with a staff role for a coordinator; for a
 * manager, those holding a role at one of their centres.
 */
export async function listStaff(deps: ServiceDeps, scope: AccountScope): Promise<StaffMember[]> {
  const rows = await deps.store.db
    .selectFrom("staff_roles")
    .innerJoin("users", "users.id", "staff_roles.user_id")
    .select([
      "users.id as userId",
      "users.email",
      "users.member_id",
      "users.disabled_at",
      "staff_roles.id as roleId",
      "staff_roles.role",
      "staff_roles.centre_id",
    ])
    .orderBy("users.email")
    .orderBy("staff_roles.id")
    .execute();
  const byUser = new Map<string, StaffMember & { roles: StaffMember["roles"][number][] }>();
  for (const row of rows) {
    let entry = byUser.get(row.userId);
    if (entry === undefined) {
      entry = {
        userId: row.userId,
        email: row.email,
        memberId: row.member_id,
        disabled: row.disabled_at !== null,
        roles: [],
      };
      byUser.set(row.userId, entry);
    }
    entry.roles.push({ id: row.roleId, role: row.role, centreId: row.centre_id });
  }
  const all = [...byUser.values()];
  if (scope.coordinator) return all;
  return all.filter((staff) =>
    staff.roles.some((role) => role.centreId !== null && scope.managerOf.includes(role.centreId)),
  );
}

/** A coordinator grants any role; a manager grants "manager" of their own centres only. */
export async function grantRoleWithin(
  deps: ServiceDeps,
  actor: Actor,
  scope: AccountScope,
  input: { userId: string; role: StaffRole; centreId?: string | null },
): Promise<StaffRoleGrant> {
  if (!scope.coordinator) {
    if (input.role !== "manager") throw outsideScope("only a coordinator grants this role", "role");
    requireCentres(scope, [input.centreId ?? "(none)"], "centreId");
  }
  return grantStaffRole(deps, actor, input);
}

export async function revokeRoleWithin(
  deps: ServiceDeps,
  actor: Actor,
  scope: AccountScope,
  grantId: string,
): Promise<void> {
  const row = await deps.store.db
    .selectFrom("staff_roles")
    .selectAll()
    .where("id", "=", grantId)
    .executeTakeFirst();
  if (row === undefined) throw notFound("staff role", grantId, "grantId");
  if (!scope.coordinator) {
    if (row.centre_id === null || !scope.managerOf.includes(row.centre_id)) {
      // Outside their centres it might as well not exist (ids are not to be probed).
      throw notFound("staff role", grantId, "grantId");
    }
  }
  if (row.user_id === scope.userId) {
    throw conflict(
      "you cannot remove your own role; ask another coordinator or manager",
      "grantId",
    );
  }
  await revokeStaffRole(deps, actor, grantId);
}

/**
 * Disables (or enables) a login: its tokens stop at once. A manager may do so only for a login
 * whose every role is within their centres and whose member (if any) is at one of them; nobody
 * disables themself (that is how a network loses its last coordinator).
 */
export async function setDisabledWithin(
  deps: ServiceDeps,
  actor: Actor,
  scope: AccountScope,
  userId: string,
  disabled: boolean,
): Promise<User> {
  if (userId === scope.userId) throw conflict("you cannot disable your own account", "userId");
  if (!scope.coordinator) {
    const db = deps.store.db;
    const user = await db
      .selectFrom("users")
      .select(["member_id"])
      .where("id", "=", userId)
      .executeTakeFirst();
    if (user === undefined) throw notFound("user", userId, "userId");
    const roles = await db
      .selectFrom("staff_roles")
      .selectAll()
      .where("user_id", "=", userId)
      .execute();
    const centres: string[] = [];
    for (const role of roles) {
      if (role.centre_id === null)
        throw outsideScope("only a coordinator disables a coordinator", "userId");
      centres.push(role.centre_id);
    }
    if (user.member_id !== null) {
      const member = await db
        .selectFrom("members")
        .select("home_centre_id")
        .where("id", "=", user.member_id)
        .executeTakeFirstOrThrow();
      centres.push(member.home_centre_id ?? "(no home centre)");
    }
    if (centres.length === 0)
      throw outsideScope("only a coordinator disables this login", "userId");
    requireCentres(scope, centres, "userId");
  }
  return setUserDisabled(deps, actor, userId, disabled);
}
