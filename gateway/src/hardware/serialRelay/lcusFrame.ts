/**
 * The command frame of CH340-based "LCUS" USB relay boards (LCUS-1, -2, -4, -8): four bytes at
 * 9600 baud 8N1, `A0 <channel> <state> <checksum>`, channel 1-based, state 1 = relay on (closed),
 * 0 = off, checksum = (A0 + channel + state) & 0xFF. The board sends no acknowledgement.
 * Example from the vendor sheet: A0 01 01 A2 switches relay 1 on, A0 01 00 A1 off.
 */

export const LCUS_BAUD_RATE = 9600;
export const LCUS_MAX_CHANNELS = 8;
const START = 0xa0;

export function encodeLcusFrame(channel: number, on: boolean): Uint8Array {
  if (!Number.isInteger(channel) || channel < 1 || channel > LCUS_MAX_CHANNELS) {
    throw new RangeError(`LCUS relay channel ${channel}: expected 1 to ${LCUS_MAX_CHANNELS}`);
  }
  const state = on ? 1 : 0;
  return Uint8Array.of(START, channel, state, (START + channel + state) & 0xff);
}

/** The inverse, for tests and diagnostics; null when the bytes are not a valid frame. */
export function decodeLcusFrame(frame: Uint8Array): { channel: number; on: boolean } | null {
  if (frame.length !== 4 || frame[0] !== START) return null;
  const [, channel = 0, state = 0, checksum = 0] = frame;
  if (((START + channel + state) & 0xff) !== checksum) return null;
  if (state > 1 || channel < 1 || channel > LCUS_MAX_CHANNELS) return null;
  return { channel, on: state === 1 };
}
