/**
 * What a contactless storage card (MIFARE Classic-like) answers through a PC/SC reader, as pure
 * functions: the ATR a PC/SC reader builds for it and its answers to the reader's pseudo-APDUs.
 * References: PC/SC Specification Part 3 (v2.01.09), section 3.1.3.2.3 (ATR for contactless
 * storage cards) and 3.2.2.1.3 (GET DATA, `FF CA`); ISO/IEC 7816-4 status words.
 */

/** Card name bytes (PC/SC part 3, supplemental document): 00 01 = MIFARE Classic 1K. */
export const MIFARE_CLASSIC_1K = 0x0001;

/** ISO/IEC 14443-A UIDs are single (4), double (7) or triple (10) size. */
export const VALID_UID_LENGTHS: readonly number[] = [4, 7, 10];

export const SW_SUCCESS = Uint8Array.of(0x90, 0x00);
/** 6A 81: function not supported (GET DATA for ATS on a storage card). */
export const SW_FUNCTION_NOT_SUPPORTED = Uint8Array.of(0x6a, 0x81);
/** 6D 00: instruction code not supported. */
export const SW_INS_NOT_SUPPORTED = Uint8Array.of(0x6d, 0x00);
/** 6E 00: class not supported. */
export const SW_CLA_NOT_SUPPORTED = Uint8Array.of(0x6e, 0x00);
/** 67 00: wrong length (APDU too short to parse). */
export const SW_WRONG_LENGTH = Uint8Array.of(0x67, 0x00);

/**
 * `3B 8F 80 01 80 4F 0C A0 00 00 03 06 SS NN NN 00 00 00 00 TCK`: 15 historical bytes holding the
 * PC/SC registered application id (RID A0 00 00 03 06), the standard byte SS (03 = ISO 14443 A
 * part 3) and the card name NN NN. nfc-pcsc treats an ATR whose byte 5 is 0x4F as an
 * ISO 14443-3 tag and asks for its UID with GET DATA.
 */
export function storageCardAtr(cardName: number = MIFARE_CLASSIC_1K): Uint8Array {
  const body = [
    0x3b,
    0x8f,
    0x80,
    0x01,
    0x80,
    0x4f,
    0x0c,
    0xa0,
    0x00,
    0x00,
    0x03,
    0x06,
    0x03,
    (cardName >> 8) & 0xff,
    cardName & 0xff,
    0x00,
    0x00,
    0x00,
    0x00,
  ];
  // TCK (ISO/IEC 7816-3 section 8.2.5): XOR of every byte from T0 to the last historical byte.
  const tck = body.slice(1).reduce((acc, byte) => acc ^ byte, 0);
  return Uint8Array.from([...body, tck]);
}

/** Options that make a card misbehave, to test how the reader side copes. */
export interface CardBehaviour {
  /** When true the card refuses GET DATA (6A 81), as an unreadable or unsupported card would. */
  refuseUid?: boolean;
}

function concat(data: Uint8Array, statusWord: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + statusWord.length);
  out.set(data, 0);
  out.set(statusWord, data.length);
  return out;
}

/**
 * The card's answer to one command APDU. Only GET DATA (`FF CA 00 00 Le`, the UID) is
 * implemented; PC/SC part 3 answers `6C XX` when Le is shorter than the UID (XX = its length).
 */
export function answerApdu(
  apdu: Uint8Array,
  uid: Uint8Array,
  behaviour: CardBehaviour = {},
): Uint8Array {
  if (apdu.length < 4) return SW_WRONG_LENGTH;
  const [cla, ins, p1] = apdu;
  if (cla !== 0xff) return SW_CLA_NOT_SUPPORTED;
  if (ins !== 0xca) return SW_INS_NOT_SUPPORTED;
  // P1 = 01 asks for the ATS historical bytes, which a storage card does not have.
  if (p1 !== 0x00 || behaviour.refuseUid === true) return SW_FUNCTION_NOT_SUPPORTED;
  const le = apdu.length >= 5 ? (apdu[4] ?? 0) : 0;
  if (le !== 0 && le < uid.length) return Uint8Array.of(0x6c, uid.length);
  return concat(uid, SW_SUCCESS);
}
