import { uuidv7 } from "@passerelle/protocol";
import type { PassesTable, PassKind } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { commitChange } from "./commitChange.js";
import { conflict, invalid, notFound } from "./domainError.js";
import { allActiveCentres } from "./memberAccess.js";
import { loadMember } from "./members.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { instant, integer, oneOf, text } from "./validation.js";

export const passKinds: readonly PassKind[] = [
  "network",
  "centre-membership",
  "day",
  "hour-credits",
];

/**
 * A right to enter: a network pass (every centre, sold by the cooperative), a membership of one
 * centre, a day pass, or hour credits. `ownerCentreId` says who sold it (null: the network),
 * which settlement needs: the network pays a centre only for holders of network-owned passes.
 */
export interface Pass {
  readonly id: string;
  readonly memberId: string;
  readonly kind: PassKind;
  readonly ownerCentreId: string | null;
  /** Where it opens doors; null: every centre of the network. */
  readonly validCentreId: string | null;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly creditMinutes: number | null;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
  readonly revokeReason: string | null;
}

export interface PassInput {
  readonly memberId: string;
  readonly kind: PassKind;
  readonly ownerCentreId?: string | null;
  readonly validCentreId?: string | null;
  readonly validFrom: Date | number;
  readonly validTo: Date | number;
  readonly creditMinutes?: number;
}

const HOUR = 60 * 60 * 1000;
const MAX_VALIDITY_MS = 5 * 366 * 24 * HOUR;
/** A local day is 23 to 25 hours long around DST changes. */
const DAY_PASS_MAX_MS = 25 * HOUR;

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export function passFromRow(row: PassesTable): Pass {
  return {
    id: row.id,
    memberId: row.member_id,
    kind: row.kind,
    ownerCentreId: row.owner_centre_id,
    validCentreId: row.valid_centre_id,
    validFrom: new Date(row.valid_from),
    validTo: new Date(row.valid_to),
    creditMinutes: row.credit_minutes,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
    revokedAt: date(row.revoked_at),
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  };
}

/** The rules tying kind, owner and scope together; returns the columns to store. */
function passShape(input: PassInput) {
  const kind = oneOf("kind", input.kind, passKinds);
  const validFrom = instant("validFrom", input.validFrom);
  const validTo = instant("validTo", input.validTo);
  if (validTo <= validFrom) throw invalid("validTo", "must be after validFrom");
  if (validTo - validFrom > MAX_VALIDITY_MS)
    throw invalid("validTo", "a pass lasts at most 5 years");
  let owner = input.ownerCentreId ?? null;
  let scope = input.validCentreId ?? null;
  let credits: number | null = null;
  switch (kind) {
    case "network":
      if (owner !== null || scope !== null) {
        throw invalid(
          "validCentreId",
          "a network pass is sold by the network and valid everywhere",
        );
      }
      break;
    case "centre-membership":
      if (scope === null) throw invalid("validCentreId", "a centre membership names its centre");
      owner ??= scope;
      if (owner !== scope) throw invalid("ownerCentreId", "a centre sells only its own membership");
      break;
    case "day":
      if (validTo - validFrom > DAY_PASS_MAX_MS)
        throw invalid("validTo", "a day pass lasts one day");
      break;
    case "hour-credits":
      credits = integer("creditMinutes", input.creditMinutes ?? Number.NaN, 1, 100_000 * 60);
      break;
  }
  if (kind !== "hour-credits" && input.creditMinutes !== undefined) {
    throw invalid("creditMinutes", "only hour-credit passes carry minutes");
  }
  if (owner !== null && scope === null) scope = owner; // a centre's pass opens only its doors
  return { kind, validFrom, validTo, owner, scope, credits };
}

async function checkCentres(trx: Executor, ids: ReadonlyArray<string | null>) {
  for (const id of ids) {
    if (id === null) continue;
    const found = await trx
      .selectFrom("centres")
      .select("id")
      .where("id", "=", id)
      .executeTakeFirst();
    if (found === undefined) throw notFound("centre", id, "validCentreId");
  }
}

async function loadPassRow(db: Executor, id: string): Promise<PassesTable> {
  const row = await db.selectFrom("passes").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("pass", id, "passId");
  return row;
}

/** The centres a pass opens: its own, or all of them. */
async function passCentres(trx: Executor, validCentreId: string | null): Promise<string[]> {
  return validCentreId === null ? allActiveCentres(trx) : [validCentreId];
}

export async function getPass(deps: ServiceDeps, id: string): Promise<Pass> {
  return passFromRow(await loadPassRow(deps.store.db, id));
}

export async function listPasses(
  deps: ServiceDeps,
  filter: { memberId?: string; validCentreId?: string; activeAt?: Date | number } = {},
): Promise<Pass[]> {
  let query = deps.store.db.selectFrom("passes").selectAll().orderBy("id");
  if (filter.memberId !== undefined) query = query.where("member_id", "=", filter.memberId);
  if (filter.validCentreId !== undefined) {
    query = query.where("valid_centre_id", "=", filter.validCentreId);
  }
  if (filter.activeAt !== undefined) {
    const at = instant("activeAt", filter.activeAt);
    query = query
      .where("revoked_at", "is", null)
      .where("valid_from", "<=", at)
      .where("valid_to", ">", at);
  }
  return (await query.execute()).map(passFromRow);
}

export async function createPass(deps: ServiceDeps, actor: Actor, input: PassInput): Promise<Pass> {
  const shape = passShape(input);
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const member = await loadMember(trx, input.memberId);
    if (member.archivedAt !== null) throw invalid("memberId", "the member is archived");
    await checkCentres(trx, [shape.owner, shape.scope]);
    const row: PassesTable = {
      id: uuidv7(now),
      member_id: member.id,
      kind: shape.kind,
      owner_centre_id: shape.owner,
      valid_centre_id: shape.scope,
      valid_from: shape.validFrom,
      valid_to: shape.validTo,
      credit_minutes: shape.credits,
      created_at: now,
      created_by: actor,
      revoked_at: null,
      revoked_by: null,
      revoke_reason: null,
    };
    await trx.insertInto("passes").values(row).execute();
    return {
      result: passFromRow(row),
      audit: [
        {
          actor,
          action: "pass.create",
          subject: `pass:${row.id}`,
          ...(row.valid_centre_id === null ? {} : { centre: row.valid_centre_id }),
          detail: { member: member.id, kind: row.kind, owner: row.owner_centre_id },
        },
      ],
      accessChangedAt: await passCentres(trx, row.valid_centre_id),
    };
  });
}

/** Moves a pass's validity (renewal, extension, correction). */
export async function changePassValidity(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  validity: { validFrom: Date | number; validTo: Date | number },
): Promise<Pass> {
  return commitChange(deps, async (trx) => {
    const row = await loadPassRow(trx, id);
    if (row.revoked_at !== null) throw conflict("the pass is revoked", "passId");
    const shape = passShape({
      memberId: row.member_id,
      kind: row.kind,
      ownerCentreId: row.owner_centre_id,
      validCentreId: row.valid_centre_id,
      validFrom: validity.validFrom,
      validTo: validity.validTo,
      ...(row.credit_minutes === null ? {} : { creditMinutes: row.credit_minutes }),
    });
    await trx
      .updateTable("passes")
      .set({ valid_from: shape.validFrom, valid_to: shape.validTo })
      .where("id", "=", id)
      .execute();
    return {
      result: passFromRow({ ...row, valid_from: shape.validFrom, valid_to: shape.validTo }),
      audit: [
        {
          actor,
          action: "pass.change-validity",
          subject: `pass:${id}`,
          detail: {
            from: new Date(shape.validFrom).toISOString(),
            to: new Date(shape.validTo).toISOString(),
          },
        },
      ],
      accessChangedAt: await passCentres(trx, row.valid_centre_id),
    };
  });
}

export async function revokePass(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  reason: string,
): Promise<Pass> {
  const why = text("reason", reason);
  return commitChange(deps, async (trx) => {
    const row = await loadPassRow(trx, id);
    if (row.revoked_at !== null) throw conflict("the pass is already revoked", "passId");
    const revoked = { ...row, revoked_at: deps.clock.now(), revoked_by: actor, revoke_reason: why };
    await trx
      .updateTable("passes")
      .set({ revoked_at: revoked.revoked_at, revoked_by: actor, revoke_reason: why })
      .where("id", "=", id)
      .execute();
    return {
      result: passFromRow(revoked),
      audit: [{ actor, action: "pass.revoke", subject: `pass:${id}`, detail: { reason: why } }],
      accessChangedAt: await passCentres(trx, row.valid_centre_id),
    };
  });
}
