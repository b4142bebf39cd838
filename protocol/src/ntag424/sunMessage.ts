import { timingSafeEqual } from "node:crypto";
import { AesBlockCipher } from "./aesCmac.js";

/**
 * Verification of an NTAG 424 DNA Secure Unique NFC (SUN) message, AES mode, as NXP's AN12196
 * describes it: the card mirrors into its NDEF file the PICC data (tag byte, UID, read counter)
 * encrypted under the SDM meta-read key, and a MAC truncated to 8 bytes computed with a
 * session key derived (SV2) from the SDM file-read key, the UID and the read counter.
 * Pure: no I/O, no clock. The replay rule is in readCounter.ts.
 */

export type SunFailure =
  | "malformed" // lengths, hex, or a PICC data tag this verifier does not handle
  | "invalid-mac"; // the MAC does not match: wrong key, clone, or tampered message

export type SunVerification =
  | { readonly ok: true; readonly uid: Buffer; readonly readCounter: number }
  | { readonly ok: false; readonly failure: SunFailure };

export interface SunMessage {
  /** The 16 encrypted PICC data bytes (the `e=` parameter of the URL). */
  readonly encryptedPiccData: Uint8Array;
  /** The 8-byte truncated MAC (the `c=` parameter). */
  readonly mac: Uint8Array;
  /** The file bytes between SDMMACInputOffset and SDMMACOffset; empty when they coincide. */
  readonly macInput?: Uint8Array;
}

export interface PiccData {
  readonly uid: Buffer;
  readonly readCounter: number;
}

const uidMirrored = 0x80;
const counterMirrored = 0x40;
const ntag424UidLength = 7;

/** Decrypts the PICC data with the meta-read key (AES-128-CBC, zero IV) and parses it. */
export function decryptPiccData(
  metaReadKey: Uint8Array | AesBlockCipher,
  encrypted: Uint8Array,
): PiccData | null {
  if (encrypted.length !== 16) return null;
  const meta =
    metaReadKey instanceof AesBlockCipher ? metaReadKey : new AesBlockCipher(metaReadKey);
  // One block of CBC with a zero IV is one block of ECB.
  const plain = meta.decrypt(encrypted);
  const tag = plain[0] as number;
  // This verifier needs both mirrors and a 7-byte UID; a card personalised otherwise (or a
  // wrong meta-read key, which yields a random tag byte) is refused as malformed.
  if ((tag & uidMirrored) === 0 || (tag & counterMirrored) === 0) return null;
  if ((tag & 0x0f) !== ntag424UidLength) return null;
  const uid = Buffer.from(plain.subarray(1, 1 + ntag424UidLength));
  const readCounter = plain.readUIntLE(1 + ntag424UidLength, 3);
  return { uid, readCounter };
}

/** KSesSDMFileReadMAC: CMAC of SV2 = 3C C3 00 01 00 80 ‖ UID ‖ read counter (LSB first). */
export function sdmSessionMacKey(fileReadKey: Uint8Array, uid: Uint8Array, readCounter: number) {
  const sv2 = Buffer.alloc(16);
  sv2.set([0x3c, 0xc3, 0x00, 0x01, 0x00, 0x80], 0);
  sv2.set(uid, 6);
  sv2.writeUIntLE(readCounter, 6 + uid.length, 3);
  return new AesBlockCipher(fileReadKey).cmac(sv2);
}

/** MACt: the CMAC's bytes at odd offsets (1, 3, … 15), as NTAG 424 DNA truncates it. */
export function truncateMac(fullMac: Uint8Array): Buffer {
  const truncated = Buffer.alloc(8);
  for (let i = 0; i < 8; i += 1) truncated[i] = fullMac[2 * i + 1] as number;
  return truncated;
}

export function sdmMac(
  fileReadKey: Uint8Array,
  uid: Uint8Array,
  readCounter: number,
  macInput: Uint8Array,
): Buffer {
  const sessionKey = new AesBlockCipher(sdmSessionMacKey(fileReadKey, uid, readCounter));
  return truncateMac(sessionKey.cmac(macInput));
}

/**
 * Verifies a SUN message. `fileReadKeyFor` gives the card's SDM file-read key from its UID
 * (diversified, see cardKeys.ts), which is why the PICC data is decrypted first.
 */
export function verifySunMessage(
  message: SunMessage,
  metaReadKey: Uint8Array | AesBlockCipher,
  fileReadKeyFor: (uid: Buffer) => Uint8Array,
): SunVerification {
  if (message.mac.length !== 8) return { ok: false, failure: "malformed" };
  const picc = decryptPiccData(metaReadKey, message.encryptedPiccData);
  if (!picc) return { ok: false, failure: "malformed" };
  const expected = sdmMac(
    fileReadKeyFor(picc.uid),
    picc.uid,
    picc.readCounter,
    message.macInput ?? Buffer.alloc(0),
  );
  if (!timingSafeEqual(expected, message.mac)) return { ok: false, failure: "invalid-mac" };
  return { ok: true, uid: picc.uid, readCounter: picc.readCounter };
}
