import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/**
 * Secrets the cloud must read back (a TOTP key: unlike a password it cannot be hashed, the
 * server recomputes codes from it) are sealed with AES-256-GCM before they reach the store.
 * The key is derived (HKDF-SHA256, RFC 5869) from the bundle signing key, which lives in the
 * data directory (mode 0600), not in the database: a database dump or backup alone does not
 * reveal the sealed secrets. Text form: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export interface SealKey {
  readonly key: Buffer;
}

export function sealKeyFrom(signingKey: KeyObject, purpose: string): SealKey {
  const material = signingKey.export({ format: "der", type: "pkcs8" });
  const key = Buffer.from(
    hkdfSync("sha256", material, Buffer.alloc(0), `passerelle ${purpose}`, 32),
  );
  return { key };
}

export function seal(sealKey: SealKey, plain: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey.key, iv);
  // The context (the user id) is authenticated: a sealed value moved to another row fails.
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The plain secret, or undefined when the text was not sealed with this key for this context. */
export function unseal(sealKey: SealKey, sealed: string, context: string): Buffer | undefined {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || iv === undefined || tag === undefined || body === undefined)
    return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealKey.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
  } catch {
    return undefined;
  }
}
