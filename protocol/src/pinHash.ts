import { createHmac, timingSafeEqual } from "node:crypto";

/** A keypad PIN: 4 to 8 digits (OSDP keypads send one keypress at a time, digits 0-9). */
export const pinPattern = /^[0-9]{4,8}$/;

/**
 * A card's PIN as the cloud stores it and bundles carry it: HMAC-SHA256(salt,
 * "passerelle-pin-v1|" + credential hash + "|" + PIN), cut to 128 bits, with the network's
 * credential salt. Bound to the card, so the same PIN on two cards gives two hashes.
 *
 * Why a fast keyed hash and not a slow password hash: the gateway checks it on the badge path
 * (no waiting before the relay), and a slow hash would not protect a 4-to-8-digit PIN anyway
 * against whoever holds the bundle and its salt (10^8 guesses at most). The PIN is a second
 * factor against a lost or borrowed card, not a secret kept from a stolen gateway
 * (docs/hardware.md "Card + PIN doors").
 */
export function pinHash(pin: string, credentialHash: string, salt: string): string {
  if (!pinPattern.test(pin)) throw new TypeError("a PIN is 4 to 8 digits");
  return createHmac("sha256", Buffer.from(salt, "base64url"))
    .update(`passerelle-pin-v1|${credentialHash}|${pin}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** Whether `pin` is the one `expected` was made from; false for a malformed PIN. */
export function pinMatches(
  pin: string,
  expected: string,
  credentialHash: string,
  salt: string,
): boolean {
  if (!pinPattern.test(pin)) return false;
  const given = Buffer.from(pinHash(pin, credentialHash, salt));
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
