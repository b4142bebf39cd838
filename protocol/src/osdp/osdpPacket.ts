import { osdpChecksum, osdpCrc16 } from "./osdpChecks.js";

/**
 * OSDP v2 packet layout (SIA OSDP 2.2, section 5):
 *
 *   SOM 0x53 | ADDR | LEN lsb | LEN msb | CTRL | [SCB: len, type, data…] | CODE | DATA… |
 *   [MAC: 4 bytes, secure messages only] | CRC lsb, msb  (or one checksum byte)
 *
 * LEN counts the whole packet from SOM to the last check byte. CTRL: bits 0–1 sequence number,
 * bit 2 CRC (else checksum), bit 3 security control block present. ADDR has bit 7 set on
 * replies (PD to CP). Pure functions; the MAC itself is computed by secureChannel.ts.
 */

export const osdpStartOfMessage = 0x53;
export const osdpBroadcastAddress = 0x7f;
export const osdpReplyFlag = 0x80;
/** The largest packet this implementation sends or accepts (PDs declare theirs in PDCAP). */
export const osdpMaxPacketLength = 1024;
export const osdpHeaderLength = 5;

const controlSequenceMask = 0x03;
const controlCrc = 0x04;
const controlSecurityBlock = 0x08;

/** Security block types (SCS_xx): handshake, then MAC-only or MAC + encrypted data. */
export const SecurityBlockType = {
  challenge: 0x11,
  clientCryptogram: 0x12,
  serverCryptogram: 0x13,
  initialRmac: 0x14,
  commandMac: 0x15,
  replyMac: 0x16,
  commandMacEncrypted: 0x17,
  replyMacEncrypted: 0x18,
} as const;

export function carriesMac(securityBlockType: number | undefined): boolean {
  return securityBlockType !== undefined && securityBlockType >= 0x15 && securityBlockType <= 0x18;
}

export function carriesEncryptedData(securityBlockType: number | undefined): boolean {
  return securityBlockType === 0x17 || securityBlockType === 0x18;
}

export interface SecurityBlock {
  readonly type: number;
  readonly data: Buffer;
}

export interface OsdpPacket {
  /** 0–0x7E a PD address, 0x7F broadcast; bit 7 set on replies. */
  readonly address: number;
  readonly sequence: number;
  readonly useCrc: boolean;
  readonly securityBlock?: SecurityBlock;
  /** Command or reply code. */
  readonly code: number;
  readonly data: Buffer;
  /** The 4 MAC bytes of a secure message. */
  readonly mac?: Buffer;
}

/**
 * Encodes a packet. For a secure message, `macOf` receives the bytes the MAC covers (SOM to
 * the end of data, with LEN already counting the MAC) and returns the 4 MAC bytes.
 */
export function encodeOsdpPacket(
  packet: Omit<OsdpPacket, "mac">,
  macOf?: (covered: Buffer) => Buffer,
): Buffer {
  const block = packet.securityBlock;
  const blockLength = block ? 2 + block.data.length : 0;
  const withMac = carriesMac(block?.type);
  if (withMac && !macOf) throw new Error("a secure message needs its MAC function");
  const checkLength = packet.useCrc ? 2 : 1;
  const length =
    osdpHeaderLength + blockLength + 1 + packet.data.length + (withMac ? 4 : 0) + checkLength;
  if (length > osdpMaxPacketLength) throw new RangeError("OSDP packet too long");
  const bytes = Buffer.alloc(length);
  bytes[0] = osdpStartOfMessage;
  bytes[1] = packet.address & 0xff;
  bytes.writeUInt16LE(length, 2);
  bytes[4] =
    (packet.sequence & controlSequenceMask) |
    (packet.useCrc ? controlCrc : 0) |
    (block ? controlSecurityBlock : 0);
  let offset = osdpHeaderLength;
  if (block) {
    bytes[offset] = blockLength;
    bytes[offset + 1] = block.type;
    block.data.copy(bytes, offset + 2);
    offset += blockLength;
  }
  bytes[offset] = packet.code;
  packet.data.copy(bytes, offset + 1);
  offset += 1 + packet.data.length;
  if (withMac && macOf) {
    macOf(bytes.subarray(0, offset)).copy(bytes, offset, 0, 4);
    offset += 4;
  }
  if (packet.useCrc) bytes.writeUInt16LE(osdpCrc16(bytes.subarray(0, offset)), offset);
  else bytes[offset] = osdpChecksum(bytes.subarray(0, offset));
  return bytes;
}

export type OsdpDecodeFailure = "bad-check" | "bad-length" | "bad-security-block";

export type OsdpDecoded =
  | { readonly ok: true; readonly packet: OsdpPacket; readonly macCovered: Buffer }
  | { readonly ok: false; readonly failure: OsdpDecodeFailure };

/** True when the check bytes (CRC or checksum) of one whole frame are right. */
export function osdpFrameCheckPasses(frame: Buffer): boolean {
  const useCrc = ((frame[4] as number) & controlCrc) !== 0;
  if (useCrc) {
    return osdpCrc16(frame.subarray(0, frame.length - 2)) === frame.readUInt16LE(frame.length - 2);
  }
  return osdpChecksum(frame.subarray(0, frame.length - 1)) === frame[frame.length - 1];
}

/** Decodes one whole frame (as the frame parser delivers it). */
export function decodeOsdpPacket(frame: Buffer): OsdpDecoded {
  if (frame.length < osdpHeaderLength + 2 || frame[0] !== osdpStartOfMessage) {
    return { ok: false, failure: "bad-length" };
  }
  if (frame.readUInt16LE(2) !== frame.length) return { ok: false, failure: "bad-length" };
  if (!osdpFrameCheckPasses(frame)) return { ok: false, failure: "bad-check" };
  const control = frame[4] as number;
  const useCrc = (control & controlCrc) !== 0;
  const end = frame.length - (useCrc ? 2 : 1);
  let offset = osdpHeaderLength;
  let securityBlock: SecurityBlock | undefined;
  if ((control & controlSecurityBlock) !== 0) {
    const blockLength = frame[offset] as number;
    if (blockLength < 2 || offset + blockLength >= end) {
      return { ok: false, failure: "bad-security-block" };
    }
    securityBlock = {
      type: frame[offset + 1] as number,
      data: Buffer.from(frame.subarray(offset + 2, offset + blockLength)),
    };
    offset += blockLength;
  }
  const withMac = carriesMac(securityBlock?.type);
  const dataEnd = end - (withMac ? 4 : 0);
  if (offset >= dataEnd) return { ok: false, failure: "bad-length" };
  const packet: OsdpPacket = {
    address: frame[1] as number,
    sequence: control & controlSequenceMask,
    useCrc,
    code: frame[offset] as number,
    data: Buffer.from(frame.subarray(offset + 1, dataEnd)),
    ...(securityBlock ? { securityBlock } : {}),
    ...(withMac ? { mac: Buffer.from(frame.subarray(dataEnd, end)) } : {}),
  };
  return { ok: true, packet, macCovered: Buffer.from(frame.subarray(0, dataEnd)) };
}
