import { uuidv7 } from "@passerelle/protocol";
import { loadCentre } from "../domain/centres.js";
import { commitChange } from "../domain/commitChange.js";
import { conflict, invalid } from "../domain/domainError.js";
import { loadMember } from "../domain/members.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { checkPassword } from "../domain/users.js";
import { email as checkEmail } from "../domain/validation.js";
import { hashSecret, hashToken } from "../security/secrets.js";
import type { AccountLinksTable, StaffRolesTable, UsersTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { INVITATION_TTL_MS, markLinkUsed, newLinkToken, usableLink } from "./accountLinks.js";
import { type AccountScope, outsideScope, requireCentres } from "./accountScope.js";

/** What an invitation makes of the invitee once they set a password. */
export type InvitedRole = "coordinator" | "manager" | "member";

export interface InvitationInput {
  readonly role: InvitedRole;
  /** A manager's centres (at least one). */
  readonly centreIds?: readonly string[];
  /** The member the login belongs to (role "member"); the address is the member's. */
  readonly memberId?: string;
  /** The invitee's address (coordinator, manager); ignored for a member. */
  readonly email?: string;
}

interface Grants {
  readonly coordinator: boolean;
  readonly managerOf: readonly string[];
}

export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly role: InvitedRole;
  readonly centreIds: readonly string[];
  readonly memberId: string | null;
  readonly expiresAt: Date;
  readonly createdBy: string;
}

function invitationFromRow(row: AccountLinksTable): Invitation {
  const grants = JSON.parse(row.grants) as Grants;
  return {
    id: row.id,
    email: row.email,
    role: grants.coordinator ? "coordinator" : grants.managerOf.length > 0 ? "manager" : "member",
    centreIds: grants.managerOf,
    memberId: row.member_id,
    expiresAt: new Date(row.expires_at),
    createdBy: row.created_by,
  };
}

async function hasLogin(trx: Executor, address: string): Promise<boolean> {
  const row = await trx
    .selectFrom("users")
    .select("id")
    .where("email", "=", address)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A single-use link (7 days) that lets the invitee set a password. A coordinator invites
 * coordinators and managers of any centre; a manager invites managers of their own centres and
 * the members of their centres. A newer invitation to the same address replaces older ones.
 * The token is in the result only; the store keeps its sha256.
 */
export async function createInvitation(
  deps: ServiceDeps,
  actor: Actor,
  scope: AccountScope,
  input: InvitationInput,
): Promise<{ token: string; invitation: Invitation }> {
  const now = deps.clock.now();
  const token = newLinkToken("invitation");
  return commitChange(deps, async (trx) => {
    let address: string;
    let memberId: string | null = null;
    let grants: Grants = { coordinator: false, managerOf: [] };
    if (input.role === "coordinator") {
      if (!scope.coordinator)
        throw outsideScope("only a coordinator invites a coordinator", "role");
      address = checkEmail("email", input.email ?? "");
      grants = { coordinator: true, managerOf: [] };
    } else if (input.role === "manager") {
      const centreIds = [...new Set(input.centreIds ?? [])].sort();
      if (centreIds.length === 0)
        throw invalid("centreIds", "a manager manages at least one centre");
      requireCentres(scope, centreIds, "centreIds");
      for (const id of centreIds) await loadCentre(trx, id);
      address = checkEmail("email", input.email ?? "");
      grants = { coordinator: false, managerOf: centreIds };
    } else {
      if (input.memberId === undefined) throw invalid("memberId", "which member is invited");
      const member = await loadMember(trx, input.memberId);
      if (member.archivedAt !== null) throw invalid("memberId", "the member is archived");
      if (!scope.coordinator) {
        if (member.homeCentreId === null)
          throw outsideScope("the member has no home centre", "memberId");
        requireCentres(scope, [member.homeCentreId], "memberId");
      }
      const linked = await trx
        .selectFrom("users")
        .select("id")
        .where("member_id", "=", member.id)
        .executeTakeFirst();
      if (linked !== undefined) throw conflict("the member already has a login", "memberId");
      address = member.email.trim().toLowerCase();
      memberId = member.id;
    }
    if (await hasLogin(trx, address)) {
      throw conflict("a login with this e-mail already exists; grant it a role instead", "email");
    }
    // One live invitation per address: the previous link stops working.
    await trx
      .updateTable("account_links")
      .set({ used_at: now })
      .where("email", "=", address)
      .where("purpose", "=", "invitation")
      .where("used_at", "is", null)
      .execute();
    const row: AccountLinksTable = {
      id: uuidv7(now),
      purpose: "invitation",
      token_hash: hashToken(token),
      email: address,
      user_id: null,
      member_id: memberId,
      grants: JSON.stringify(grants),
      created_at: now,
      created_by: actor,
      expires_at: now + INVITATION_TTL_MS,
      used_at: null,
    };
    await trx.insertInto("account_links").values(row).execute();
    const invitation = invitationFromRow(row);
    return {
      result: { token, invitation },
      audit: [
        {
          actor,
          action: "invitation.create",
          subject: `invitation:${row.id}`,
          ...(grants.managerOf.length === 1 ? { centre: grants.managerOf[0] as string } : {}),
          detail: { email: address, role: invitation.role, centreIds: grants.managerOf, memberId },
        },
      ],
    };
  });
}

/** The invitations not yet accepted nor expired that this scope may see. */
export async function listPendingInvitations(
  deps: ServiceDeps,
  scope: AccountScope,
): Promise<Invitation[]> {
  const rows = await deps.store.db
    .selectFrom("account_links")
    .selectAll()
    .where("purpose", "=", "invitation")
    .where("used_at", "is", null)
    .where("expires_at", ">", deps.clock.now())
    .orderBy("id")
    .execute();
  const invitations = rows.map(invitationFromRow);
  if (scope.coordinator) return invitations;
  return invitations.filter(
    (inv) =>
      inv.createdBy === `user:${scope.userId}` ||
      inv.centreIds.some((c) => scope.managerOf.includes(c)),
  );
}

/**
 * Accepts an invitation: the login, its member link and its roles are created and the link is
 * used, all in one transaction, or nothing is written.
 */
export async function acceptInvitation(
  deps: ServiceDeps,
  token: string,
  password: string,
): Promise<{ userId: string; email: string }> {
  const passwordHash = await hashSecret(checkPassword(password));
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const link = await usableLink(trx, "invitation", token, now);
    if (await hasLogin(trx, link.email)) {
      throw conflict("a login with this e-mail already exists", "email");
    }
    const grants = JSON.parse(link.grants) as Grants;
    const user: UsersTable = {
      id: uuidv7(now),
      email: link.email,
      password_hash: passwordHash,
      member_id: link.member_id,
      created_at: now,
      disabled_at: null,
    };
    await trx.insertInto("users").values(user).execute();
    const roles: StaffRolesTable[] = [
      ...(grants.coordinator ? [{ role: "coordinator" as const, centre: null }] : []),
      ...grants.managerOf.map((centre) => ({ role: "manager" as const, centre })),
    ].map(({ role, centre }, i) => ({
      id: uuidv7(now + i),
      user_id: user.id,
      role,
      centre_id: centre,
      offline_access: 0,
      created_at: now,
      created_by: link.created_by,
    }));
    for (const role of roles) await trx.insertInto("staff_roles").values(role).execute();
    await markLinkUsed(trx, link.id, now);
    const actor: Actor = `user:${user.id}`;
    return {
      result: { userId: user.id, email: user.email },
      principalsChanged: true,
      accessChangedAt: grants.managerOf,
      audit: [
        {
          actor,
          action: "invitation.accept",
          subject: `user:${user.id}`,
          detail: { invitation: link.id, invitedBy: link.created_by },
        },
        ...roles.map((role) => ({
          actor,
          action: "staff.grant",
          subject: `user:${user.id}`,
          ...(role.centre_id === null ? {} : { centre: role.centre_id }),
          detail: { role: role.role, offlineAccess: false, invitation: link.id },
        })),
      ],
    };
  });
}
