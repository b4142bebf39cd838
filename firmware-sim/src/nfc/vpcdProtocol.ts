/**
 * The vpcd wire protocol (vsmartcard project, `virtualsmartcard/src/vpcd`): the driver inside
 * pcscd and the virtual card exchange messages framed as a 2-byte big-endian length followed by
 * the payload. A 1-byte payload from vpcd is a control message; any longer payload is a command
 * APDU. The card answers GET ATR and every APDU with one framed message, and nothing else.
 */

export const VPCD_DEFAULT_PORT = 35963;

export const VpcdControl = {
  powerOff: 0x00,
  powerOn: 0x01,
  reset: 0x02,
  getAtr: 0x04,
} as const;

export type VpcdMessage = { kind: "control"; code: number } | { kind: "apdu"; apdu: Uint8Array };

/** Largest payload a 2-byte length can carry. */
export const VPCD_MAX_PAYLOAD = 0xffff;

/** Frames one payload for the wire. */
export function encodeVpcdMessage(payload: Uint8Array): Uint8Array {
  if (payload.length > VPCD_MAX_PAYLOAD) {
    throw new RangeError(`vpcd payload too long: ${payload.length} bytes`);
  }
  const out = new Uint8Array(2 + payload.length);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}

/**
 * Reassembles messages from TCP chunks, which may split or join frames anywhere. A zero-length
 * frame carries nothing and is dropped.
 */
export class VpcdMessageDecoder {
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): VpcdMessage[] {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending, 0);
    joined.set(chunk, this.pending.length);
    const messages: VpcdMessage[] = [];
    let offset = 0;
    while (joined.length - offset >= 2) {
      const length = ((joined[offset] ?? 0) << 8) | (joined[offset + 1] ?? 0);
      if (joined.length - offset - 2 < length) break;
      const payload = joined.slice(offset + 2, offset + 2 + length);
      offset += 2 + length;
      if (length === 1) messages.push({ kind: "control", code: payload[0] ?? 0 });
      else if (length > 1) messages.push({ kind: "apdu", apdu: payload });
    }
    this.pending = joined.slice(offset);
    return messages;
  }
}
