import { uuidv7 } from "@passerelle/protocol";
import type { StaffRole, StaffRolesTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { loadCentre } from "./centres.js";
import { commitChange } from "./commitChange.js";
import { conflict, invalid, notFound } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { loadUser } from "./users.js";
import { oneOf } from "./validation.js";

export const staffRoles: readonly StaffRole[] = ["manager", "coordinator"];

/** A manager of one centre, or a coordinator of the whole network. */
export interface StaffRoleGrant {
  readonly id: string;
  readonly userId: string;
  readonly role: StaffRole;
  readonly centreId: string | null;
  readonly offlineAccess: boolean;
  readonly createdAt: Date;
  readonly createdBy: string;
}

/**
 * What a logged-in user may do, for the API's one authorisation point: a coordinator audits
 * the network (and gets no door access from that alone), a manager sees only their centres, a
 * member only themself.
 */
export interface Principal {
  readonly userId: string;
  readonly memberId: string | null;
  readonly coordinator: boolean;
  readonly managerOf: readonly string[];
}

function grantFromRow(row: StaffRolesTable): StaffRoleGrant {
  return {
    id: row.id,
    userId: row.user_id,
    role: row.role,
    centreId: row.centre_id,
    offlineAccess: row.offline_access === 1,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
  };
}

export async function listStaffRoles(
  deps: ServiceDeps,
  filter: { userId?: string; centreId?: string } = {},
): Promise<StaffRoleGrant[]> {
  let query = deps.store.db.selectFrom("staff_roles").selectAll().orderBy("id");
  if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId);
  if (filter.centreId !== undefined) query = query.where("centre_id", "=", filter.centreId);
  return (await query.execute()).map(grantFromRow);
}

export async function loadPrincipal(db: Executor, userId: string): Promise<Principal> {
  const user = await loadUser(db, userId);
  const roles = await db
    .selectFrom("staff_roles")
    .selectAll()
    .where("user_id", "=", userId)
    .execute();
  return {
    userId,
    memberId: user.memberId,
    coordinator: roles.some((role) => role.role === "coordinator"),
    managerOf: roles
      .filter((role) => role.role === "manager" && role.centre_id !== null)
      .map((role) => role.centre_id as string)
      .sort(),
  };
}

export async function getPrincipal(deps: ServiceDeps, userId: string): Promise<Principal> {
  return loadPrincipal(deps.store.db, userId);
}

export async function grantStaffRole(
  deps: ServiceDeps,
  actor: Actor,
  input: { userId: string; role: StaffRole; centreId?: string | null; offlineAccess?: boolean },
): Promise<StaffRoleGrant> {
  const role = oneOf("role", input.role, staffRoles);
  const centreId = input.centreId ?? null;
  if (role === "manager" && centreId === null)
    throw invalid("centreId", "a manager manages a centre");
  if (role === "coordinator" && centreId !== null) {
    throw invalid("centreId", "a coordinator covers the whole network");
  }
  return commitChange(deps, async (trx) => {
    await loadUser(trx, input.userId);
    if (centreId !== null) await loadCentre(trx, centreId);
    const existing = await trx
      .selectFrom("staff_roles")
      .select("id")
      .where("user_id", "=", input.userId)
      .where("role", "=", role)
      .where((eb) =>
        centreId === null ? eb("centre_id", "is", null) : eb("centre_id", "=", centreId),
      )
      .executeTakeFirst();
    if (existing !== undefined) throw conflict("the user already has this role", "role");
    const now = deps.clock.now();
    const row: StaffRolesTable = {
      id: uuidv7(now),
      user_id: input.userId,
      role,
      centre_id: centreId,
      offline_access: input.offlineAccess ? 1 : 0,
      created_at: now,
      created_by: actor,
    };
    await trx.insertInto("staff_roles").values(row).execute();
    return {
      result: grantFromRow(row),
      principalsChanged: true,
      audit: [
        {
          actor,
          action: "staff.grant",
          subject: `user:${input.userId}`,
          ...(centreId === null ? {} : { centre: centreId }),
          detail: { role, offlineAccess: row.offline_access === 1 },
        },
      ],
      // A manager's badges open their centre's doors at any hour: that centre's rules change.
      accessChangedAt: centreId === null ? [] : [centreId],
    };
  });
}

export async function revokeStaffRole(
  deps: ServiceDeps,
  actor: Actor,
  grantId: string,
): Promise<void> {
  return commitChange(deps, async (trx) => {
    const row = await trx
      .selectFrom("staff_roles")
      .selectAll()
      .where("id", "=", grantId)
      .executeTakeFirst();
    if (row === undefined) throw notFound("staff role", grantId, "grantId");
    await trx.deleteFrom("staff_roles").where("id", "=", grantId).execute();
    return {
      result: undefined,
      principalsChanged: true,
      audit: [
        {
          actor,
          action: "staff.revoke",
          subject: `user:${row.user_id}`,
          ...(row.centre_id === null ? {} : { centre: row.centre_id }),
          detail: { role: row.role },
        },
      ],
      accessChangedAt: row.centre_id === null ? [] : [row.centre_id],
    };
  });
}
