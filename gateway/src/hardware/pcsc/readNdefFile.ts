import { maxNdefFileLength } from "@passerelle/protocol";

/**
 * Reads the NDEF file of an NFC Forum Type 4 tag (NTAG 424 DNA) through a PC/SC reader:
 * SELECT the NDEF application by name, SELECT file E1 04, READ BINARY the 2-byte length then
 * the message. Pure over a `transmit` function so it is tested on raw buffers; the pcsc adapter
 * gives it nfc-pcsc's reader.transmit.
 */

export type Transmit = (apdu: Buffer, responseMaxLength: number) => Promise<Buffer>;

export type NdefFileRead =
  | { readonly ok: true; readonly file: Buffer }
  /** `no-ndef`: not a Type 4 tag (a plain UID card); the others: a SUN card that failed. */
  | { readonly ok: false; readonly failure: "no-ndef" | "truncated" | "oversized" | "io" };

const selectNdefApplication = Buffer.from("00A4040007D276000085010100", "hex");
const selectNdefFile = Buffer.from("00A4000C02E104", "hex");
/** Short APDUs: at most this many bytes per READ BINARY (some readers cap lower than 256). */
const readChunk = 128;

function statusOk(response: Buffer): boolean {
  return response.length >= 2 && response.at(-2) === 0x90 && response.at(-1) === 0x00;
}

function readBinary(offset: number, length: number): Buffer {
  return Buffer.from([0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, length & 0xff]);
}

export async function readNdefFile(transmit: Transmit): Promise<NdefFileRead> {
  try {
    if (!statusOk(await transmit(selectNdefApplication, 2)))
      return { ok: false, failure: "no-ndef" };
    if (!statusOk(await transmit(selectNdefFile, 2))) return { ok: false, failure: "no-ndef" };
    const head = await transmit(readBinary(0, 2), 4);
    if (!statusOk(head) || head.length !== 4) return { ok: false, failure: "truncated" };
    const length = head.readUInt16BE(0);
    if (length + 2 > maxNdefFileLength) return { ok: false, failure: "oversized" };
    const parts = [head.subarray(0, 2)];
    for (let offset = 2; offset < length + 2; offset += readChunk) {
      const want = Math.min(readChunk, length + 2 - offset);
      const part = await transmit(readBinary(offset, want), want + 2);
      if (!statusOk(part) || part.length !== want + 2) return { ok: false, failure: "truncated" };
      parts.push(part.subarray(0, want));
    }
    return { ok: true, file: Buffer.concat(parts) };
  } catch {
    // The card left the field mid-read (or the reader failed): never half a credential.
    return { ok: false, failure: "io" };
  }
}
