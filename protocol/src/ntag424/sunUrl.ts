import type { SunMessage } from "./sunMessage.js";

/**
 * Reads the SUN parameters out of an NDEF URI record as Passerelle personalises its cards:
 * `…?e=<32 hex: encrypted PICC data>&c=<16 hex: MAC>` with the MAC computed over nothing
 * (SDMMACInputOffset = SDMMACOffset). Returns null for anything else.
 */
const piccPattern = /[?&]e=([0-9A-Fa-f]{32})(?:&|$)/;
const macPattern = /[?&]c=([0-9A-Fa-f]{16})(?:&|$)/;

export function parseSunUrl(url: string): SunMessage | null {
  if (url.length > 512) return null;
  const picc = piccPattern.exec(url)?.[1];
  const mac = macPattern.exec(url)?.[1];
  if (!picc || !mac) return null;
  return { encryptedPiccData: Buffer.from(picc, "hex"), mac: Buffer.from(mac, "hex") };
}
