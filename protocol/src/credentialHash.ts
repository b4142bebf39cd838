import { createHmac, randomBytes } from "node:crypto";

/**
 * Badge UIDs never travel or rest in clear: the cloud stores, and bundles carry, a keyed hash
 * HMAC-SHA256(salt, "passerelle-credential-v1|" + UID in upper-case hex), cut to 128 bits.
 *
 * The salt is one per network, created with the cloud's data and shipped in every bundle so a
 * gateway can hash what its reader sees. It keeps UIDs out of logs, databases and bundles and
 * stops linking them with other systems; it does not make a 4-byte UID secret (anyone holding the
 * salt can enumerate 2^32 values), which is why a UID is an identifier, never a key.
 */
export function credentialHash(uid: Uint8Array | string, salt: string): string {
  const hex =
    typeof uid === "string" ? normaliseUidHex(uid) : Buffer.from(uid).toString("hex").toUpperCase();
  return createHmac("sha256", Buffer.from(salt, "base64url"))
    .update(`passerelle-credential-v1|${hex}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** ISO 14443-A UIDs are 4, 7 or 10 bytes; other credential media may be up to 32 bytes. */
export function normaliseUidHex(text: string): string {
  const hex = text.replace(/[\s:-]/g, "").toUpperCase();
  if (!/^([0-9A-F]{2}){1,32}$/.test(hex)) {
    throw new TypeError("a badge UID is 1 to 32 bytes of hexadecimal");
  }
  return hex;
}

export function generateCredentialSalt(): string {
  return randomBytes(32).toString("base64url");
}
