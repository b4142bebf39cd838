import { randomBytes, timingSafeEqual } from "node:crypto";
import {
  carriesEncryptedData,
  carriesMac,
  encodeOsdpPacket,
  type OsdpDecoded,
  type OsdpPacket,
  SecurityBlockType,
} from "./osdpPacket.js";
import {
  deriveOsdpSessionKeys,
  type OsdpSessionKeys,
  osdpClientCryptogram,
  osdpDecryptData,
  osdpEncryptData,
  osdpInitialRmac,
  osdpMessageMac,
  osdpServerCryptogram,
} from "./secureChannelCrypto.js";

/**
 * One end of an OSDP secure channel session: the handshake (CHLNG → CCRYPT → SCRYPT →
 * RMAC_I) and then sealing and opening every message with the chained MAC and encrypted data.
 * The CP chains commands on the last R-MAC and replies on the last C-MAC; the PD does the
 * mirror image. Any failure leaves the channel closed: the CP starts a new handshake.
 */

export type OsdpRole = "cp" | "pd";

/** Which base key a handshake uses (the SCB data byte of CHLNG/CCRYPT/SCRYPT). */
export const OsdpKeyFlag = { installKey: 0x00, readerKey: 0x01 } as const;

export type OsdpOpenFailure = "not-secure" | "mac-mismatch" | "bad-encryption" | "closed";

export type OsdpOpened =
  | { readonly ok: true; readonly code: number; readonly data: Buffer }
  | { readonly ok: false; readonly failure: OsdpOpenFailure };

export type OsdpHeader = Pick<OsdpPacket, "address" | "sequence" | "useCrc">;

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);

export class OsdpSecureChannel {
  readonly role: OsdpRole;
  #keys: OsdpSessionKeys | undefined;
  #rmac: Buffer = Buffer.alloc(16);
  #cmac: Buffer = Buffer.alloc(16);
  #cpRandom: Buffer = Buffer.alloc(8);
  #pdRandom: Buffer = Buffer.alloc(8);
  #established = false;

  constructor(role: OsdpRole) {
    this.role = role;
  }

  get established(): boolean {
    return this.#established;
  }

  close(): void {
    this.#established = false;
    this.#keys = undefined;
  }

  // --- handshake, CP side -------------------------------------------------------------

  /** The CHLNG payload: a fresh RND.A (or the given one, for tests). */
  challenge(cpRandom: Buffer = randomBytes(8)): Buffer {
    this.close();
    this.#cpRandom = Buffer.from(cpRandom);
    return this.#cpRandom;
  }

  /**
   * Checks the PD's CCRYPT payload (cUID ‖ RND.B ‖ client cryptogram) under `scbk` and returns
   * the SCRYPT payload, or null when the PD does not hold the key.
   */
  acceptClientCryptogram(payload: Buffer, scbk: Uint8Array): Buffer | null {
    if (payload.length !== 32) return null;
    this.#pdRandom = Buffer.from(payload.subarray(8, 16));
    const keys = deriveOsdpSessionKeys(scbk, this.#cpRandom);
    const expected = osdpClientCryptogram(keys, this.#cpRandom, this.#pdRandom);
    if (!sameBytes(expected, payload.subarray(16, 32))) return null;
    this.#keys = keys;
    return osdpServerCryptogram(keys, this.#cpRandom, this.#pdRandom);
  }

  /** Checks the PD's R-MAC-I; the channel is open when it matches. */
  acceptInitialRmac(payload: Buffer): boolean {
    if (!this.#keys || payload.length !== 16) return false;
    const serverCryptogram = osdpServerCryptogram(this.#keys, this.#cpRandom, this.#pdRandom);
    const expected = osdpInitialRmac(this.#keys, serverCryptogram);
    if (!sameBytes(expected, payload)) return false;
    this.#rmac = expected;
    this.#established = true;
    return true;
  }

  // --- handshake, PD side -------------------------------------------------------------

  /** Answers CHLNG: the CCRYPT payload (cUID ‖ RND.B ‖ client cryptogram). */
  answerChallenge(
    cpRandom: Buffer,
    scbk: Uint8Array,
    clientUid: Buffer,
    pdRandom = randomBytes(8),
  ): Buffer | null {
    this.close();
    if (cpRandom.length !== 8 || clientUid.length !== 8) return null;
    this.#cpRandom = Buffer.from(cpRandom);
    this.#pdRandom = Buffer.from(pdRandom);
    this.#keys = deriveOsdpSessionKeys(scbk, this.#cpRandom);
    const cryptogram = osdpClientCryptogram(this.#keys, this.#cpRandom, this.#pdRandom);
    return Buffer.concat([clientUid, this.#pdRandom, cryptogram]);
  }

  /** Checks SCRYPT; returns the R-MAC-I payload and opens the channel, or null. */
  answerServerCryptogram(payload: Buffer): Buffer | null {
    if (!this.#keys || payload.length !== 16) return null;
    const expected = osdpServerCryptogram(this.#keys, this.#cpRandom, this.#pdRandom);
    if (!sameBytes(expected, payload)) {
      this.close();
      return null;
    }
    this.#rmac = osdpInitialRmac(this.#keys, expected);
    this.#established = true;
    return this.#rmac;
  }

  // --- messages ------------------------------------------------------------------------

  /** Encodes a command (CP) or reply (PD) with its MAC, encrypting non-empty data. */
  seal(header: OsdpHeader, code: number, data: Buffer): Buffer {
    const keys = this.#keys;
    if (!keys || !this.#established) throw new Error("OSDP secure channel is not established");
    const outgoingChain = this.role === "cp" ? this.#rmac : this.#cmac;
    const encrypted = data.length > 0;
    const type =
      this.role === "cp"
        ? encrypted
          ? SecurityBlockType.commandMacEncrypted
          : SecurityBlockType.commandMac
        : encrypted
          ? SecurityBlockType.replyMacEncrypted
          : SecurityBlockType.replyMac;
    const body = encrypted ? osdpEncryptData(keys, outgoingChain, data) : data;
    return encodeOsdpPacket(
      { ...header, securityBlock: { type, data: Buffer.alloc(0) }, code, data: body },
      (covered) => {
        const mac = osdpMessageMac(keys, outgoingChain, covered);
        if (this.role === "cp") this.#cmac = mac;
        else this.#rmac = mac;
        return mac;
      },
    );
  }

  /** Checks the MAC of an incoming decoded packet and decrypts its data. */
  open(decoded: Extract<OsdpDecoded, { ok: true }>): OsdpOpened {
    const keys = this.#keys;
    if (!keys || !this.#established) return { ok: false, failure: "closed" };
    const { packet } = decoded;
    const type = packet.securityBlock?.type;
    const expectedTypes: readonly number[] =
      this.role === "cp"
        ? [SecurityBlockType.replyMac, SecurityBlockType.replyMacEncrypted]
        : [SecurityBlockType.commandMac, SecurityBlockType.commandMacEncrypted];
    if (type === undefined || !carriesMac(type) || !expectedTypes.includes(type) || !packet.mac) {
      this.close();
      return { ok: false, failure: "not-secure" };
    }
    const incomingChain = this.role === "cp" ? this.#cmac : this.#rmac;
    const mac = osdpMessageMac(keys, incomingChain, decoded.macCovered);
    if (!sameBytes(mac.subarray(0, 4), packet.mac)) {
      this.close();
      return { ok: false, failure: "mac-mismatch" };
    }
    if (this.role === "cp") this.#rmac = mac;
    else this.#cmac = mac;
    if (!carriesEncryptedData(type)) return { ok: true, code: packet.code, data: packet.data };
    const data = osdpDecryptData(keys, incomingChain, packet.data);
    if (!data) {
      this.close();
      return { ok: false, failure: "bad-encryption" };
    }
    return { ok: true, code: packet.code, data: Buffer.from(data) };
  }
}
