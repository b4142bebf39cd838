/**
 * Frames of the CH340 "LCUS" USB relay boards, as the board's microcontroller parses them:
 * `A0 <channel> <state> <checksum>` at 9600 baud, where state 0 = open (off), 1 = closed (on)
 * and checksum = (A0 + channel + state) & 0xFF. The boards send no acknowledgement.
 */

export const LCUS_START = 0xa0;
export const LCUS_FRAME_LENGTH = 4;

export type LcusParseResult =
  | { kind: "command"; channel: number; on: boolean }
  | { kind: "rejected"; reason: "bad-checksum" | "bad-state" | "bad-channel"; frame: Uint8Array };

/**
 * Splits a byte stream into LCUS frames. Bytes before a start byte are skipped; after a bad
 * frame the parser moves on by one byte, so one corrupted byte costs at most one command.
 */
export class LcusFrameParser {
  private pending: number[] = [];

  constructor(private readonly channels: number) {}

  push(chunk: Uint8Array): LcusParseResult[] {
    this.pending.push(...chunk);
    const results: LcusParseResult[] = [];
    for (;;) {
      const start = this.pending.indexOf(LCUS_START);
      if (start < 0) {
        this.pending = [];
        break;
      }
      if (start > 0) this.pending.splice(0, start);
      if (this.pending.length < LCUS_FRAME_LENGTH) break;
      const frame = Uint8Array.from(this.pending.slice(0, LCUS_FRAME_LENGTH));
      const result = this.check(frame);
      results.push(result);
      this.pending.splice(0, result.kind === "command" ? LCUS_FRAME_LENGTH : 1);
    }
    return results;
  }

  private check(frame: Uint8Array): LcusParseResult {
    const [start = 0, channel = 0, state = 0, checksum = 0] = frame;
    if (((start + channel + state) & 0xff) !== checksum) {
      return { kind: "rejected", reason: "bad-checksum", frame };
    }
    if (channel < 1 || channel > this.channels) {
      return { kind: "rejected", reason: "bad-channel", frame };
    }
    if (state !== 0 && state !== 1) return { kind: "rejected", reason: "bad-state", frame };
    return { kind: "command", channel, on: state === 1 };
  }
}
