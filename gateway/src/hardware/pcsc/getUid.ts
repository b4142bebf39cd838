/**
 * Reading a contactless card's UID through a PC/SC reader: the GET DATA pseudo-APDU of PC/SC
 * Specification Part 3 (v2.01.09) section 3.2.2.1.3, `FF CA 00 00 00`, answered with the UID and
 * the status word 90 00. Pure functions, tested on raw buffers.
 */

export const GET_UID_APDU: Readonly<Uint8Array> = Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00);

/** A triple-size UID (10 bytes) plus the 2-byte status word. */
export const GET_UID_MAX_RESPONSE = 12;

/** ISO/IEC 14443-3 section 6.5.4: single, double and triple size UIDs. */
export const UID_LENGTHS: readonly number[] = [4, 7, 10];

export type UidReadResult = { ok: true; uid: Uint8Array } | { ok: false; reason: string };

const STATUS_MEANINGS: Readonly<Record<number, string>> = {
  25217: "part of the returned data may be corrupted",
  27265: "function not supported by the card",
  26368: "wrong length",
  27904: "instruction not supported",
  28160: "class not supported",
};

/** Parses the response to GET_UID_APDU. Never puts UID bytes in a reason: reasons are logged. */
export function parseGetUidResponse(response: Uint8Array): UidReadResult {
  if (response.length < 2) {
    return {
      ok: false,
      reason: `response of ${response.length} bytes, too short for a status word`,
    };
  }
  const sw = ((response.at(-2) ?? 0) << 8) | (response.at(-1) ?? 0);
  if (sw !== 0x9000) {
    const meaning = STATUS_MEANINGS[sw] ?? (sw >> 8 === 0x6c ? "wrong Le" : "error");
    return { ok: false, reason: `card answered ${sw.toString(16).padStart(4, "0")} (${meaning})` };
  }
  const uid = Uint8Array.from(response.subarray(0, -2));
  if (!UID_LENGTHS.includes(uid.length)) {
    return { ok: false, reason: `UID of ${uid.length} bytes; ISO 14443-A UIDs have 4, 7 or 10` };
  }
  return { ok: true, uid };
}
