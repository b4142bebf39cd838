import { randomBytes } from "node:crypto";
import {
  aesEncryptBlock,
  cardFileReadKey,
  ndefFileForUri,
  type SunVerificationKeys,
  sdmMac,
} from "@passerelle/protocol";
import { answerApdu, SW_SUCCESS, SW_WRONG_LENGTH } from "./storageCardApdu.js";

/**
 * A virtual NTAG 424 DNA personalised the Passerelle way (docs/hardware.md): its NDEF file holds
 * `https://…?e=<PICC data>&c=<MAC>`, the SUN mirror the real chip fills in on every read:
 * PICC data (tag C7, UID, read counter) encrypted with the network meta-read key, and the
 * truncated CMAC under the card's diversified file-read key. The counter goes up once per
 * selection of the NDEF file, as the chip's SDMReadCtr does once per read session.
 *
 * APDUs answered (ISO/IEC 7816-4, NFC Forum Type 4 Tag): GET DATA (UID), SELECT by DF name of
 * the NDEF application D2 76 00 00 85 01 01, SELECT file E1 04, READ BINARY.
 */

export const NDEF_APPLICATION_NAME = Buffer.from("D2760000850101", "hex");
export const NDEF_FILE_ID = 0xe104;

const SW_FILE_NOT_FOUND = Uint8Array.of(0x6a, 0x82);
const SW_CONDITIONS_NOT_SATISFIED = Uint8Array.of(0x69, 0x85);
const SW_WRONG_OFFSET = Uint8Array.of(0x6b, 0x00);

export interface Ntag424CardOptions {
  readonly uid: Uint8Array;
  readonly keys: SunVerificationKeys;
  /** The read counter of the last read; the next read mirrors `counter + 1`. */
  readonly counter?: number;
  readonly baseUrl?: string;
}

export class SimulatedNtag424 {
  readonly uid: Buffer;
  #counter: number;
  readonly #keys: SunVerificationKeys;
  readonly #baseUrl: string;
  #applicationSelected = false;
  #file: Buffer | undefined;
  /** When set, the card answers every read with this file instead: a clone replaying a SUN. */
  replayFile: Buffer | undefined;

  constructor(options: Ntag424CardOptions) {
    this.uid = Buffer.from(options.uid);
    this.#keys = options.keys;
    this.#counter = options.counter ?? 0;
    this.#baseUrl = options.baseUrl ?? "https://passerelle.example/t";
  }

  get counter(): number {
    return this.#counter;
  }

  /** The NDEF file content of the last read session (what a clone would record). */
  get lastFile(): Buffer | undefined {
    return this.#file;
  }

  /** The SUN URL for `counter`, exactly as the chip mirrors it. */
  sunUrl(counter: number): string {
    const plain = Buffer.alloc(16);
    plain[0] = 0xc7; // UID and counter mirrored, 7-byte UID
    this.uid.copy(plain, 1);
    plain.writeUIntLE(counter, 8, 3);
    randomBytes(5).copy(plain, 11);
    const picc = aesEncryptBlock(this.#keys.metaReadKey, plain);
    const mac = sdmMac(cardFileReadKey(this.#keys, this.uid), this.uid, counter, Buffer.alloc(0));
    const e = picc.toString("hex").toUpperCase();
    return `${this.#baseUrl}?e=${e}&c=${mac.toString("hex").toUpperCase()}`;
  }

  /** Power-off: a new tap starts a new read session. */
  reset(): void {
    this.#applicationSelected = false;
    this.#file = undefined;
  }

  answer(apdu: Uint8Array): Uint8Array {
    if (apdu.length < 4) return SW_WRONG_LENGTH;
    const [cla, ins, p1, p2] = apdu as unknown as [number, number, number, number];
    if (cla === 0xff) return answerApdu(apdu, this.uid);
    if (cla !== 0x00) return Uint8Array.of(0x6e, 0x00);
    if (ins === 0xa4) return this.#select(apdu, p1);
    if (ins === 0xb0) return this.#readBinary(apdu, (p1 << 8) | p2);
    return Uint8Array.of(0x6d, 0x00);
  }

  #select(apdu: Uint8Array, p1: number): Uint8Array {
    const length = apdu[4] ?? 0;
    const data = Buffer.from(apdu.subarray(5, 5 + length));
    if (p1 === 0x04) {
      this.#applicationSelected = data.equals(NDEF_APPLICATION_NAME);
      this.#file = undefined;
      return this.#applicationSelected ? SW_SUCCESS : SW_FILE_NOT_FOUND;
    }
    if (p1 === 0x00 && this.#applicationSelected && data.length === 2) {
      if (data.readUInt16BE(0) !== NDEF_FILE_ID) return SW_FILE_NOT_FOUND;
      if (this.replayFile) {
        this.#file = this.replayFile;
      } else {
        this.#counter += 1;
        this.#file = Buffer.alloc(256);
        ndefFileForUri(this.sunUrl(this.#counter)).copy(this.#file);
      }
      return SW_SUCCESS;
    }
    return SW_FILE_NOT_FOUND;
  }

  #readBinary(apdu: Uint8Array, offset: number): Uint8Array {
    const file = this.#file;
    if (!file) return SW_CONDITIONS_NOT_SATISFIED;
    if (offset > file.length) return SW_WRONG_OFFSET;
    const le = apdu[4] === 0 || apdu[4] === undefined ? 256 : (apdu[4] as number);
    const chunk = file.subarray(offset, Math.min(file.length, offset + le));
    return Uint8Array.from([...chunk, 0x90, 0x00]);
  }
}

/** The ATR of an ISO 14443-4 card (NTAG 424 DNA answers RATS): historical bytes empty. */
export const NTAG424_ATR = Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01);
