import { uuidv7 } from "@passerelle/protocol";
import type { MembersTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { commitChange } from "./commitChange.js";
import { conflict, notFound } from "./domainError.js";
import { memberAccessCentres } from "./memberAccess.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { email, type Language, languages, oneOf, text } from "./validation.js";

/** A worker of the network: holds passes, badges and bookings. */
export interface Member {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly homeCentreId: string | null;
  readonly language: Language;
  readonly createdAt: Date;
  readonly archivedAt: Date | null;
}

export interface MemberInput {
  readonly name: string;
  readonly email: string;
  readonly homeCentreId?: string | null;
  readonly language?: Language;
}

function memberFromRow(row: MembersTable): Member {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    homeCentreId: row.home_centre_id,
    language: row.language as Language,
    createdAt: new Date(row.created_at),
    archivedAt: row.archived_at === null ? null : new Date(row.archived_at),
  };
}

export async function loadMember(db: Executor, id: string): Promise<Member> {
  const row = await db.selectFrom("members").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("member", id, "memberId");
  return memberFromRow(row);
}

export async function getMember(deps: ServiceDeps, id: string): Promise<Member> {
  return loadMember(deps.store.db, id);
}

/** Members in id (creation) order, optionally of one home centre; `after`: the previous page's last id. */
export async function listMembers(
  deps: ServiceDeps,
  filter: { homeCentreId?: string; after?: string; limit?: number } = {},
): Promise<Member[]> {
  let query = deps.store.db
    .selectFrom("members")
    .selectAll()
    .orderBy("id")
    .limit(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
  if (filter.homeCentreId !== undefined)
    query = query.where("home_centre_id", "=", filter.homeCentreId);
  if (filter.after !== undefined) query = query.where("id", ">", filter.after);
  return (await query.execute()).map(memberFromRow);
}

async function checkEmailFree(trx: Executor, address: string, exceptId?: string) {
  const taken = await trx
    .selectFrom("members")
    .select("id")
    .where("email", "=", address)
    .executeTakeFirst();
  if (taken !== undefined && taken.id !== exceptId) {
    throw conflict("another member has this e-mail address", "email");
  }
}

async function checkCentre(trx: Executor, centreId: string | null | undefined) {
  if (centreId === undefined || centreId === null) return;
  const centre = await trx
    .selectFrom("centres")
    .select("id")
    .where("id", "=", centreId)
    .executeTakeFirst();
  if (centre === undefined) throw notFound("centre", centreId, "homeCentreId");
}

export async function createMember(
  deps: ServiceDeps,
  actor: Actor,
  input: MemberInput,
): Promise<Member> {
  const now = deps.clock.now();
  const row: MembersTable = {
    id: uuidv7(now),
    name: text("name", input.name),
    email: email("email", input.email),
    home_centre_id: input.homeCentreId ?? null,
    language: oneOf("language", input.language ?? "fr", languages),
    created_at: now,
    archived_at: null,
  };
  return commitChange(deps, async (trx) => {
    await checkEmailFree(trx, row.email);
    await checkCentre(trx, row.home_centre_id);
    await trx.insertInto("members").values(row).execute();
    return {
      result: memberFromRow(row),
      audit: [
        {
          actor,
          action: "member.create",
          subject: `member:${row.id}`,
          ...(row.home_centre_id === null ? {} : { centre: row.home_centre_id }),
          detail: {},
        },
      ],
    };
  });
}

export async function updateMember(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: Partial<MemberInput>,
): Promise<Member> {
  return commitChange(deps, async (trx) => {
    await loadMember(trx, id);
    const set: Partial<MembersTable> = {};
    if (patch.name !== undefined) set.name = text("name", patch.name);
    if (patch.email !== undefined) {
      set.email = email("email", patch.email);
      await checkEmailFree(trx, set.email, id);
    }
    if (patch.homeCentreId !== undefined) {
      await checkCentre(trx, patch.homeCentreId);
      set.home_centre_id = patch.homeCentreId;
    }
    if (patch.language !== undefined) set.language = oneOf("language", patch.language, languages);
    if (Object.keys(set).length > 0) {
      await trx.updateTable("members").set(set).where("id", "=", id).execute();
    }
    return {
      result: await loadMember(trx, id),
      audit: [
        {
          actor,
          action: "member.update",
          subject: `member:${id}`,
          detail: { changed: Object.keys(set) },
        },
      ],
    };
  });
}

/**
 * A member who leaves: their badges are revoked and their upcoming bookings cancelled in the
 * same transaction, so no door opens for them once this returns (after the bundles rebuild).
 */
export async function archiveMember(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<Member> {
  const why = text("reason", reason);
  return commitChange(deps, async (trx) => {
    const member = await loadMember(trx, id);
    const now = deps.clock.now();
    const centres = await memberAccessCentres(trx, id, now);
    if (member.archivedAt !== null) throw conflict("the member is already archived");
    await trx
      .updateTable("badges")
      .set({ revoked_at: now, revoked_by: actor, revoke_reason: `member archived: ${why}` })
      .where("member_id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
    await trx
      .updateTable("bookings")
      .set({ status: "cancelled", cancelled_at: now, cancelled_by: actor, cancel_reason: why })
      .where("member_id", "=", id)
      .where("status", "=", "confirmed")
      .where("ends_at", ">", now)
      .execute();
    await trx.updateTable("members").set({ archived_at: now }).where("id", "=", id).execute();
    return {
      result: await loadMember(trx, id),
      audit: [
        { actor, action: "member.archive", subject: `member:${id}`, detail: { reason: why } },
      ],
      accessChangedAt: centres,
    };
  });
}
