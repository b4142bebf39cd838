/**
 * The NDEF file of a Type 4 tag as the reader gets it with READ BINARY: a 2-byte big-endian
 * length (NLEN) then one NDEF message. Passerelle cards hold one short URI record; anything
 * else, truncated or longer than the file can be, is refused.
 */

/** NTAG 424 DNA's NDEF file is 256 bytes; NLEN can never exceed it minus its own 2 bytes. */
export const maxNdefFileLength = 256;

const uriPrefixes = ["", "http://www.", "https://www.", "http://", "https://"];

export type NdefFailure = "truncated" | "oversized" | "not-a-uri";

export type NdefUri =
  | { readonly ok: true; readonly uri: string }
  | {
      readonly ok: false;
      readonly failure: NdefFailure;
    };

export function ndefMessageLength(file: Uint8Array): number | null {
  if (file.length < 2) return null;
  return ((file[0] as number) << 8) | (file[1] as number);
}

export function readNdefUri(file: Uint8Array): NdefUri {
  const length = ndefMessageLength(file);
  if (length === null) return { ok: false, failure: "truncated" };
  if (length + 2 > maxNdefFileLength) return { ok: false, failure: "oversized" };
  if (file.length < length + 2) return { ok: false, failure: "truncated" };
  const message = file.subarray(2, 2 + length);
  // Short record (SR), TNF well-known, message begin and end: header 0xD1, type length 1.
  if (message.length < 5) return { ok: false, failure: "truncated" };
  const header = message[0] as number;
  if ((header & 0x17) !== 0x11 || message[1] !== 1) return { ok: false, failure: "not-a-uri" };
  const payloadLength = message[2] as number;
  if (message[3] !== 0x55) return { ok: false, failure: "not-a-uri" };
  if (message.length < 4 + payloadLength || payloadLength < 1) {
    return { ok: false, failure: "truncated" };
  }
  const prefix = uriPrefixes[message[4] as number];
  if (prefix === undefined) return { ok: false, failure: "not-a-uri" };
  const rest = Buffer.from(message.subarray(5, 4 + payloadLength)).toString("utf8");
  return { ok: true, uri: prefix + rest };
}

/** Builds the file for a URI (used by the simulated card and by tests). */
export function ndefFileForUri(uri: string): Buffer {
  const prefixCode = uri.startsWith("https://") ? 4 : uri.startsWith("http://") ? 3 : 0;
  const rest = Buffer.from(uri.slice(uriPrefixes[prefixCode]?.length ?? 0), "utf8");
  const payloadLength = rest.length + 1;
  if (payloadLength > 255 || payloadLength + 4 + 2 > maxNdefFileLength) {
    throw new RangeError("URI too long for a short NDEF record");
  }
  const message = Buffer.concat([Buffer.from([0xd1, 0x01, payloadLength, 0x55, prefixCode]), rest]);
  const file = Buffer.alloc(2 + message.length);
  file.writeUInt16BE(message.length, 0);
  message.copy(file, 2);
  return file;
}
