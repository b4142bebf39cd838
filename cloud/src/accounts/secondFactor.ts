import { randomBytes } from "node:crypto";
import { uuidv7 } from "@passerelle/protocol";
import { commitChange } from "../domain/commitChange.js";
import { conflict, invalid } from "../domain/domainError.js";
import type { Actor, ServiceDeps } from "../domain/serviceDeps.js";
import { loadUser } from "../domain/users.js";
import { type SealKey, seal, unseal } from "../security/sealedSecret.js";
import { hashToken } from "../security/secrets.js";
import { matchTotp, newTotpKey, otpauthUri } from "../security/totp.js";
import type { Executor } from "../store/openStore.js";

/**
 * A staff login's optional second factor (docs/security.md "Second factor"): a TOTP key in an
 * authenticator app, and ten single-use recovery codes for a lost phone. The key is shown once
 * (as an otpauth URI) and stored sealed; the codes are shown once and stored as sha256.
 */

const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const ISSUER = "Passerelle";

export type SecondFactorState = "none" | "pending" | "enabled";

/** "abcde-fghjk": 10 characters of a 31-letter alphabet (~49 bits), easy to read aloud. */
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

/** The code as typed (any case, spaces, with or without the dash) in its stored form. */
function normaliseRecoveryCode(code: string): string {
  const letters = code.toLowerCase().replace(/[^a-z0-9]/g, "");
  return `${letters.slice(0, 5)}-${letters.slice(5)}`;
}

async function factorRow(db: Executor, userId: string) {
  return db
    .selectFrom("second_factors")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function secondFactorState(
  deps: ServiceDeps,
  userId: string,
): Promise<{ state: SecondFactorState; recoveryCodesLeft: number }> {
  const row = await factorRow(deps.store.db, userId);
  if (row === undefined) return { state: "none", recoveryCodesLeft: 0 };
  const codes = await deps.store.db
    .selectFrom("recovery_codes")
    .select("id")
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .execute();
  return {
    state: row.enabled_at === null ? "pending" : "enabled",
    recoveryCodesLeft: codes.length,
  };
}

/**
 * Starts an enrolment: a new key, sealed in the store, returned once as an otpauth URI. An
 * enabled factor is not replaced this way (remove it first, proving the old one).
 */
export async function startEnrolment(
  deps: ServiceDeps,
  sealKey: SealKey,
  userId: string,
): Promise<{ otpauthUri: string; secret: string }> {
  const key = newTotpKey();
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const user = await loadUser(trx, userId);
    const existing = await factorRow(trx, userId);
    if (existing?.enabled_at != null)
      throw conflict("a second factor is already enabled; remove it first", "code");
    const sealed = seal(sealKey, key, userId);
    if (existing === undefined) {
      await trx
        .insertInto("second_factors")
        .values({
          user_id: userId,
          secret: sealed,
          created_at: now,
          enabled_at: null,
          last_step: 0,
        })
        .execute();
    } else {
      await trx
        .updateTable("second_factors")
        .set({ secret: sealed, created_at: now, last_step: 0 })
        .where("user_id", "=", userId)
        .execute();
    }
    const uri = otpauthUri(ISSUER, user.email, key);
    return {
      result: { otpauthUri: uri, secret: new URL(uri).searchParams.get("secret") ?? "" },
      audit: [
        {
          actor: `user:${userId}`,
          action: "user.totp-start",
          subject: `user:${userId}`,
          detail: {},
        },
      ],
    };
  });
}

/** Checks a six-digit code against the stored key, consuming its time step. */
async function consumeTotp(
  deps: ServiceDeps,
  trx: Executor,
  sealKey: SealKey,
  userId: string,
  code: string,
): Promise<boolean> {
  const row = await factorRow(trx, userId);
  if (row === undefined) return false;
  const key = unseal(sealKey, row.secret, userId);
  if (key === undefined) {
    deps.logger
      .child({ module: "cloud:accounts" })
      .error({ userId }, "a second-factor key cannot be unsealed (signing key replaced?)");
    return false;
  }
  const step = matchTotp(key, code, deps.clock.now(), row.last_step);
  if (step === undefined) return false;
  await trx
    .updateTable("second_factors")
    .set({ last_step: step })
    .where("user_id", "=", userId)
    .execute();
  return true;
}

/** Uses one recovery code (single use), if the code is one of this login's unused ones. */
async function consumeRecoveryCode(
  deps: ServiceDeps,
  trx: Executor,
  userId: string,
  code: string,
): Promise<boolean> {
  const hash = hashToken(normaliseRecoveryCode(code));
  const row = await trx
    .selectFrom("recovery_codes")
    .select("id")
    .where("user_id", "=", userId)
    .where("code_hash", "=", hash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (row === undefined) return false;
  const used = await trx
    .updateTable("recovery_codes")
    .set({ used_at: deps.clock.now() })
    .where("id", "=", row.id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** The first code from the app turns the factor on; the recovery codes are returned once. */
export async function confirmEnrolment(
  deps: ServiceDeps,
  sealKey: SealKey,
  userId: string,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  const now = deps.clock.now();
  return commitChange(deps, async (trx) => {
    const row = await factorRow(trx, userId);
    if (row === undefined) throw invalid("code", "start the enrolment first");
    if (row.enabled_at !== null) throw conflict("the second factor is already enabled", "code");
    if (!(await consumeTotp(deps, trx, sealKey, userId, code)))
      throw invalid("code", "the code does not match; check the phone's clock and try again");
    await trx
      .updateTable("second_factors")
      .set({ enabled_at: now })
      .where("user_id", "=", userId)
      .execute();
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    for (const code of codes) {
      await trx
        .insertInto("recovery_codes")
        .values({
          id: uuidv7(now),
          user_id: userId,
          code_hash: hashToken(code),
          created_at: now,
          used_at: null,
        })
        .execute();
    }
    return {
      result: { recoveryCodes: codes },
      audit: [
        {
          actor: `user:${userId}`,
          action: "user.totp-enable",
          subject: `user:${userId}`,
          detail: { recoveryCodes: RECOVERY_CODES },
        },
      ],
    };
  });
}

/**
 * Removes the factor: by its owner with a current code or a recovery code, or by a
 * coordinator for someone who lost both (actor differs from the login; no code asked).
 */
export async function removeSecondFactor(
  deps: ServiceDeps,
  sealKey: SealKey,
  actor: Actor,
  userId: string,
  code: string | undefined,
): Promise<void> {
  await commitChange(deps, async (trx) => {
    const row = await factorRow(trx, userId);
    if (row === undefined) throw invalid("code", "there is no second factor to remove");
    if (actor === `user:${userId}` && row.enabled_at !== null) {
      const proved =
        code !== undefined &&
        ((await consumeTotp(deps, trx, sealKey, userId, code)) ||
          (await consumeRecoveryCode(deps, trx, userId, code)));
      if (!proved) throw invalid("code", "the code does not match");
    }
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    await trx.deleteFrom("second_factors").where("user_id", "=", userId).execute();
    return {
      result: undefined,
      audit: [{ actor, action: "user.totp-remove", subject: `user:${userId}`, detail: {} }],
    };
  });
}

export type LoginFactorCheck = "not-enrolled" | "missing" | "wrong" | "totp" | "recovery-code";

/**
 * At login, after the password: whether this login needs a code, and whether the one given
 * (six digits from the app, or a recovery code) is right. A recovery code used is audited.
 */
export async function checkLoginFactor(
  deps: ServiceDeps,
  sealKey: SealKey,
  userId: string,
  code: string | undefined,
): Promise<LoginFactorCheck> {
  const row = await factorRow(deps.store.db, userId);
  if (row === undefined || row.enabled_at === null) return "not-enrolled";
  if (code === undefined || code.trim() === "") return "missing";
  return commitChange(deps, async (trx) => {
    if (await consumeTotp(deps, trx, sealKey, userId, code)) return { result: "totp" as const };
    if (await consumeRecoveryCode(deps, trx, userId, code)) {
      const left = await trx
        .selectFrom("recovery_codes")
        .select("id")
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .execute();
      return {
        result: "recovery-code" as const,
        audit: [
          {
            actor: `user:${userId}`,
            action: "user.recovery-code-use",
            subject: `user:${userId}`,
            detail: { left: left.length },
          },
        ],
      };
    }
    return { result: "wrong" as const };
  });
}
