import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), with node:crypto only: what
 * every authenticator app (FreeOTP, Aegis, Google Authenticator…) computes from the same key.
 */

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

/** RFC 6238 §4: the time step X; 30 s is the recommended default and what apps assume. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 §4 R6 asks at least 128 bits; 160 is the HMAC-SHA-1 block size it recommends. */
const SECRET_BYTES = 20;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4226 §5.3: HMAC, dynamic truncation, modulo 10^digits, left-padded. */
export function hotp(
  key: Buffer,
  counter: bigint,
  digits = TOTP_DIGITS,
  algorithm: TotpAlgorithm = "sha1",
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238 §4.2: T = floor((unixTime − T0) / X) with T0 = 0. */
export function timeStep(epochMs: number, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(epochMs / 1000 / stepSeconds);
}

export function totp(
  key: Buffer,
  epochMs: number,
  options: { digits?: number; algorithm?: TotpAlgorithm; stepSeconds?: number } = {},
): string {
  const step = timeStep(epochMs, options.stepSeconds);
  return hotp(key, BigInt(step), options.digits ?? TOTP_DIGITS, options.algorithm ?? "sha1");
}

/**
 * The time step a code belongs to, within ±`window` steps of now (RFC 6238 §5.2 allows one
 * step of clock drift either way), and only after `afterStep`: a code already used, or an
 * older one, is refused (§5.2: "the verifier MUST NOT accept the second attempt").
 */
export function matchTotp(
  key: Buffer,
  code: string,
  epochMs: number,
  afterStep: number,
  window = 1,
): number | undefined {
  const typed = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(typed)) return undefined;
  const now = timeStep(epochMs);
  let found: number | undefined;
  // Every candidate is computed and compared, so timing does not tell which step matched.
  for (let step = now - window; step <= now + window; step += 1) {
    const expected = Buffer.from(hotp(key, BigInt(step)));
    if (timingSafeEqual(expected, Buffer.from(typed)) && step > afterStep && found === undefined)
      found = step;
  }
  return found;
}

export function newTotpKey(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** RFC 4648 §6 base32 without padding, the form authenticator apps read. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The Key Uri Format authenticator apps scan
 * (github.com/google/google-authenticator/wiki/Key-Uri-Format): otpauth://totp/Issuer:account.
 */
export function otpauthUri(issuer: string, account: string, key: Buffer): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(key),
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
