import { uuidv7 } from "@passerelle/protocol";
import { generateSecret, hashSecret, verifySecret } from "../security/secrets.js";
import type { UsersTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { commitChange } from "./commitChange.js";
import { conflict, invalid, notFound } from "./domainError.js";
import { normaliseLoginIdentifier } from "./loginIdentifier.js";
import { loadMember } from "./members.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { email } from "./validation.js";

/** A login: a member (worker), staff (roles in staff.ts), or both. Never carries the hash. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly memberId: string | null;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

// NIST SP 800-63B §5.1.1.2: at least 8 characters, allow at least 64; we ask a little more.
const PASSWORD_MIN = 10;
const PASSWORD_MAX = 200;

function userFromRow(row: UsersTable): User {
  return {
    id: row.id,
    email: row.email,
    memberId: row.member_id,
    createdAt: new Date(row.created_at),
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
  };
}

function checkPassword(password: string): string {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw invalid("password", `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
  return password;
}

export async function loadUser(db: Executor, id: string): Promise<User> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("user", id, "userId");
  return userFromRow(row);
}

export async function getUser(deps: ServiceDeps, id: string): Promise<User> {
  return loadUser(deps.store.db, id);
}

export async function createUser(
  deps: ServiceDeps,
  actor: Actor,
  input: { email: string; password: string; memberId?: string | null },
): Promise<User> {
  const address = email("email", input.email);
  const passwordHash = await hashSecret(checkPassword(input.password));
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const taken = await trx
      .selectFrom("users")
      .select("id")
      .where("email", "=", address)
      .executeTakeFirst();
    if (taken !== undefined) throw conflict("a login with this e-mail already exists", "email");
    if (input.memberId !== undefined && input.memberId !== null) {
      await loadMember(trx, input.memberId);
      const linked = await trx
        .selectFrom("users")
        .select("id")
        .where("member_id", "=", input.memberId)
        .executeTakeFirst();
      if (linked !== undefined) throw conflict("the member already has a login", "memberId");
    }
    const row: UsersTable = {
      id: uuidv7(now),
      email: address,
      password_hash: passwordHash,
      member_id: input.memberId ?? null,
      created_at: now,
      disabled_at: null,
    };
    await trx.insertInto("users").values(row).execute();
    return {
      result: userFromRow(row),
      audit: [{ actor, action: "user.create", subject: `user:${row.id}`, detail: {} }],
    };
  });
}

export async function setPassword(
  deps: ServiceDeps,
  actor: Actor,
  userId: string,
  password: string,
): Promise<void> {
  const passwordHash = await hashSecret(checkPassword(password));
  await commitChange(deps, async (trx) => {
    await loadUser(trx, userId);
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash })
      .where("id", "=", userId)
      .execute();
    // A new password ends every open session (a stolen one among them).
    await trx
      .updateTable("auth_tokens")
      .set({ revoked_at: deps.clock.now() })
      .where("user_id", "=", userId)
      .where("kind", "=", "session")
      .where("revoked_at", "is", null)
      .execute();
    return {
      result: undefined,
      principalsChanged: true,
      audit: [{ actor, action: "user.set-password", subject: `user:${userId}`, detail: {} }],
    };
  });
}

export async function setUserDisabled(
  deps: ServiceDeps,
  actor: Actor,
  userId: string,
  disabled: boolean,
): Promise<User> {
  return commitChange(deps, async (trx) => {
    const user = await loadUser(trx, userId);
    const disabledAt = disabled ? (user.disabledAt?.getTime() ?? deps.clock.now()) : null;
    await trx
      .updateTable("users")
      .set({ disabled_at: disabledAt })
      .where("id", "=", userId)
      .execute();
    return {
      result: await loadUser(trx, userId),
      principalsChanged: true,
      audit: [
        {
          actor,
          action: disabled ? "user.disable" : "user.enable",
          subject: `user:${userId}`,
          detail: {},
        },
      ],
    };
  });
}

/**
 * Login check: the enabled user with this e-mail and password, else undefined. An unknown
 * e-mail costs the same scrypt as a wrong password, so timing does not reveal who has a login.
 */
export async function verifyLogin(
  deps: ServiceDeps,
  emailAddress: string,
  password: string,
): Promise<User | undefined> {
  const row = await deps.store.db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normaliseLoginIdentifier(emailAddress))
    .executeTakeFirst();
  decoyHash ??= hashSecret(generateSecret());
  const matches = await verifySecret(password, row?.password_hash ?? (await decoyHash));
  if (row === undefined || !matches || row.disabled_at !== null) return undefined;
  return userFromRow(row);
}

let decoyHash: Promise<string> | undefined;
