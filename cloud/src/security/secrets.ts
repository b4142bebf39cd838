import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Scrypt parameters (RFC 7914): N=2^14, r=8, p=1 is the interactive-login setting the RFC and
 * OWASP cite; it costs ~16 MiB and tens of milliseconds per hash. Stored with the hash so they
 * can be raised later without invalidating existing secrets.
 */
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
const PREFIX = "scrypt";

function deriveKey(
  secret: string,
  salt: Buffer,
  params: { N: number; r: number; p: number; keyLength: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      secret.normalize("NFC"),
      salt,
      params.keyLength,
      // Node refuses to run scrypt above maxmem; it needs 128·N·r bytes (16 MiB for the defaults).
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/**
 * Hash a low- or medium-entropy secret (password, gateway broker secret) as
 * `scrypt$N$r$p$salt$key` with base64url salt and key.
 */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await deriveKey(secret, salt, SCRYPT);
  return [
    PREFIX,
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString("base64url"),
    key.toString("base64url"),
  ].join("$");
}

/** Constant-time check of a secret against a stored hash; a malformed hash never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [N, r, p] = parts.slice(1, 4).map((part) => Number.parseInt(part, 10));
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  if (N === undefined || r === undefined || p === undefined) return false;
  // Refuse absurd parameters from a tampered row instead of burning memory on them.
  const sane =
    N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
  // A key shorter than ours would still match (scrypt output is a PBKDF2 stream: a prefix of a
  // longer key); refuse it so a truncated row cannot weaken the check.
  if (!sane || salt.length < 8 || expected.length < SCRYPT.keyLength) return false;
  const actual = await deriveKey(secret, salt, { N, r, p, keyLength: expected.length });
  return timingSafeEqual(actual, expected);
}

/** A random secret to hand out once (gateway broker secret, API token): 256 bits, base64url. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

const GENERATED_PREFIX = "sha256$";

/**
 * Hash a secret this cloud generated (a gateway's broker secret, 256 random bits): like a token,
 * a guess is as hard as the secret itself, so SHA-256 is enough and a broker login costs
 * microseconds. With scrypt (~30 ms, ~32 logins/s on 2 cores) 2 000 gateways reconnecting at
 * once never converged: each gave up after 10 s and tried again (docs/performance.md).
 */
export function hashGeneratedSecret(secret: string): string {
  return `${GENERATED_PREFIX}${hashToken(secret)}`;
}

/** Checks a generated secret against `hashGeneratedSecret`'s form, or the scrypt form of older rows. */
export async function verifyGeneratedSecret(secret: string, stored: string): Promise<boolean> {
  if (stored.startsWith(GENERATED_PREFIX)) {
    return sameSecretText(hashGeneratedSecret(secret), stored);
  }
  return verifySecret(secret, stored);
}

/** A hash written by an earlier version, which `hashGeneratedSecret` should replace. */
export function isSlowSecretHash(stored: string): boolean {
  return !stored.startsWith(GENERATED_PREFIX);
}

/**
 * High-entropy tokens (sessions, API tokens) need no slow hash: a guess is as hard as the token
 * itself, so SHA-256 lets a request be authenticated with one indexed lookup.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** Constant-time comparison of two token hashes (or any two strings of secret material). */
export function sameSecretText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
