import { credentialHash, pinHash, pinPattern, uuidv7 } from "@passerelle/protocol";
import type { BadgesTable, CredentialKind } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { credentialSalt } from "../store/settings.js";
import { commitChange } from "./commitChange.js";
import { conflict, invalid, notFound } from "./domainError.js";
import { memberAccessCentres } from "./memberAccess.js";
import { loadMember } from "./members.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { text } from "./validation.js";

/**
 * A member's badge, known only by its keyed credential hash (protocol credentialHash with the
 * network salt): the raw UID is hashed on the way in and never stored, logged or returned.
 */
export interface Badge {
  readonly id: string;
  readonly memberId: string;
  readonly credentialHash: string;
  readonly label: string;
  readonly issuedAt: Date;
  readonly issuedBy: string;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
  readonly revokeReason: string | null;
  /** The UID's last four hex digits, to tell cards apart; null for badges from before 0008. */
  readonly uidLast4: string | null;
  /** "uid" (a bare UID card) or "ntag424-sun" (NTAG 424 DNA, opens only with a verified SUN). */
  readonly credentialKind: CredentialKind;
  /** Highest SUN read counter the gateways reported; null before the first SUN read. */
  readonly readCounter: number | null;
  /** Whether a PIN is set for card + PIN doors (the PIN itself is never kept or shown). */
  readonly hasPin: boolean;
}

export const credentialKinds: readonly CredentialKind[] = ["uid", "ntag424-sun"];

export function badgeFromRow(row: BadgesTable): Badge {
  return {
    id: row.id,
    memberId: row.member_id,
    credentialHash: row.credential_hash,
    label: row.label,
    issuedAt: new Date(row.issued_at),
    issuedBy: row.issued_by,
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
    uidLast4: row.uid_last4 ?? null,
    credentialKind: row.credential_kind,
    readCounter: row.read_counter === null ? null : Number(row.read_counter),
    hasPin: row.pin_hash !== null,
  };
}

async function loadBadgeRow(db: Executor, id: string): Promise<BadgesTable> {
  const row = await db.selectFrom("badges").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("badge", id, "badgeId");
  return row;
}

/**
 * The last four hex digits of a UID as printed on most cards ("04:A1:B2:C3" → "B2C3"): enough to
 * tell a person's two cards apart, far too little to clone one (the doors match the full hash).
 */
export function uidLast4(uid: string): string {
  const hex = uid.replace(/[^0-9A-Fa-f]/g, "").toUpperCase();
  return hex.slice(-4);
}

/** The hash a UID is stored under, with this network's salt. */
export async function hashBadgeUid(db: Executor, uid: string): Promise<string> {
  const salt = await credentialSalt(db);
  try {
    return credentialHash(uid, salt);
  } catch {
    throw invalid("uid", "a badge UID is 1 to 32 bytes of hexadecimal");
  }
}

export async function getBadge(deps: ServiceDeps, id: string): Promise<Badge> {
  return badgeFromRow(await loadBadgeRow(deps.store.db, id));
}

export async function listBadges(
  deps: ServiceDeps,
  filter: { memberId?: string; activeOnly?: boolean } = {},
): Promise<Badge[]> {
  let query = deps.store.db.selectFrom("badges").selectAll().orderBy("id");
  if (filter.memberId !== undefined) query = query.where("member_id", "=", filter.memberId);
  if (filter.activeOnly) query = query.where("revoked_at", "is", null);
  return (await query.execute()).map(badgeFromRow);
}

/** The live badge carrying this credential hash, e.g. for an access event from a gateway. */
export async function findActiveBadgeByHash(
  deps: ServiceDeps,
  hash: string,
): Promise<Badge | undefined> {
  const row = await deps.store.db
    .selectFrom("badges")
    .selectAll()
    .where("credential_hash", "=", hash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row === undefined ? undefined : badgeFromRow(row);
}

/**
 * Issues a badge to a member from the card's UID (hex); one live badge per card. An NTAG 424
 * DNA card enrolled from its SUN (secureCardEnrolment.ts) comes with its kind and the read
 * counter of the message it was enrolled with.
 */
export async function issueBadge(
  deps: ServiceDeps,
  actor: Actor,
  input: {
    memberId: string;
    uid: string;
    label?: string;
    credentialKind?: CredentialKind;
    readCounter?: number;
  },
): Promise<Badge> {
  const label = text("label", input.label ?? "badge");
  return commitChange(deps, async (trx) => {
    const member = await loadMember(trx, input.memberId);
    if (member.archivedAt !== null) throw invalid("memberId", "the member is archived");
    const hash = await hashBadgeUid(trx, input.uid);
    const live = await trx
      .selectFrom("badges")
      .select("member_id")
      .where("credential_hash", "=", hash)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (live !== undefined) throw conflict("this card is already issued; revoke it first", "uid");
    const now = deps.clock.now();
    const row: BadgesTable = {
      id: uuidv7(now),
      member_id: member.id,
      credential_hash: hash,
      label,
      issued_at: now,
      issued_by: actor,
      revoked_at: null,
      revoked_by: null,
      revoke_reason: null,
      uid_last4: uidLast4(input.uid),
      credential_kind: input.credentialKind ?? "uid",
      read_counter: input.readCounter ?? null,
      pin_hash: null,
    };
    await trx.insertInto("badges").values(row).execute();
    return {
      result: badgeFromRow(row),
      audit: [
        {
          actor,
          action: "badge.issue",
          subject: `badge:${row.id}`,
          detail: { member: member.id, kind: row.credential_kind },
        },
      ],
      accessChangedAt: await memberAccessCentres(trx, member.id, now),
    };
  });
}

/** Revokes a badge (lost, stolen, returned); every centre it could open is recompiled. */
export async function revokeBadge(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<Badge> {
  const why = text("reason", reason);
  return commitChange(deps, async (trx) => {
    const row = await loadBadgeRow(trx, id);
    if (row.revoked_at !== null) throw conflict("the badge is already revoked", "badgeId");
    const now = deps.clock.now();
    const revoked = { ...row, revoked_at: now, revoked_by: actor, revoke_reason: why };
    await trx
      .updateTable("badges")
      .set({ revoked_at: now, revoked_by: actor, revoke_reason: why })
      .where("id", "=", id)
      .execute();
    return {
      result: badgeFromRow(revoked),
      audit: [
        {
          actor,
          action: "badge.revoke",
          subject: `badge:${id}`,
          detail: { member: row.member_id, reason: why },
        },
      ],
      accessChangedAt: await memberAccessCentres(trx, row.member_id, now),
    };
  });
}

/**
 * Sets or clears a badge's PIN for card + PIN doors (4 to 8 digits). Only its keyed hash is kept
 * (protocol pinHash, bound to the card); the doors of its member's centres are recompiled.
 */
export async function setBadgePin(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  pin: string | null,
): Promise<Badge> {
  if (pin !== null && !pinPattern.test(pin)) throw invalid("pin", "a PIN is 4 to 8 digits");
  return commitChange(deps, async (trx) => {
    const row = await loadBadgeRow(trx, id);
    if (row.revoked_at !== null) throw conflict("the badge is revoked", "badgeId");
    const hashed =
      pin === null ? null : pinHash(pin, row.credential_hash, await credentialSalt(trx));
    await trx.updateTable("badges").set({ pin_hash: hashed }).where("id", "=", id).execute();
    const now = deps.clock.now();
    return {
      result: badgeFromRow({ ...row, pin_hash: hashed }),
      audit: [
        {
          actor,
          action: pin === null ? "badge.pin-clear" : "badge.pin-set",
          subject: `badge:${id}`,
          detail: { member: row.member_id },
        },
      ],
      accessChangedAt: await memberAccessCentres(trx, row.member_id, now),
    };
  });
}
