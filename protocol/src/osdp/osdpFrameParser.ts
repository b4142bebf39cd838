import { Transform, type TransformCallback } from "node:stream";
import {
  osdpFrameCheckPasses,
  osdpHeaderLength,
  osdpMaxPacketLength,
  osdpStartOfMessage,
} from "./osdpPacket.js";

export type OsdpDropReason = "garbage" | "bad-length" | "bad-check" | "overflow";

/**
 * Cuts a serial byte stream into whole OSDP frames whose CRC or checksum is right. Anything
 * else is dropped with a reason (`drop` event) and the parser resynchronises on the next
 * start-of-message byte, so line noise, a split frame or a flood of garbage never stalls it.
 * The 0xFF mark byte some PDs send before SOM is garbage like any other byte.
 */
export class OsdpFrameParser extends Transform {
  #pending: Buffer = Buffer.alloc(0);
  readonly #maxPending: number;

  constructor(options: { readonly maxPending?: number } = {}) {
    super({ readableObjectMode: true });
    this.#maxPending = options.maxPending ?? 4 * osdpMaxPacketLength;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (this.#pending.length > this.#maxPending) {
      this.emit("drop", "overflow" satisfies OsdpDropReason, this.#pending.length);
      this.#pending = Buffer.alloc(0);
    }
    this.#cut();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#pending.length > 0) this.emit("drop", "garbage", this.#pending.length);
    this.#pending = Buffer.alloc(0);
    done();
  }

  /** Forgets a partial frame (after a reply timeout: what is pending will never complete). */
  reset(): void {
    if (this.#pending.length > 0) this.emit("drop", "garbage", this.#pending.length);
    this.#pending = Buffer.alloc(0);
  }

  #drop(reason: OsdpDropReason, count: number): void {
    this.emit("drop", reason, count);
    this.#pending = this.#pending.subarray(count);
  }

  #cut(): void {
    for (;;) {
      const start = this.#pending.indexOf(osdpStartOfMessage);
      if (start < 0) {
        if (this.#pending.length > 0) this.#drop("garbage", this.#pending.length);
        return;
      }
      if (start > 0) this.#drop("garbage", start);
      if (this.#pending.length < 4) return;
      const length = this.#pending.readUInt16LE(2);
      if (length < osdpHeaderLength + 2 || length > osdpMaxPacketLength) {
        this.#drop("bad-length", 1);
        continue;
      }
      if (this.#pending.length < length) return;
      const frame = this.#pending.subarray(0, length);
      if (!osdpFrameCheckPasses(frame)) {
        // Only the SOM is consumed: a real frame may start inside what looked like one.
        this.#drop("bad-check", 1);
        continue;
      }
      this.push(Buffer.from(frame));
      this.#pending = this.#pending.subarray(length);
    }
  }
}
