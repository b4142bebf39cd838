import type { Socket } from "node:net";
import { Duplex } from "node:stream";

export interface FrameLimits {
  /** Largest packet before the client is authenticated: its CONNECT (a few hundred bytes). */
  beforeAuthPacketBytes: number;
  /** All bytes a client may send before it is authenticated (CONNECT and anything pipelined). */
  beforeAuthTotalBytes: number;
}

export type FrameRefusal = "packet-too-large" | "too-much-before-auth" | "malformed-length";

/**
 * The embedded broker's byte caps, in front of aedes. aedes (through mqtt-packet's parser)
 * buffers a packet until the length its fixed header announces has arrived, so a client that
 * announces 256 MB and streams filler makes the broker hold 256 MB — before authentication.
 * This stream reads only the fixed headers as the bytes pass (type byte, then the 1–4 byte
 * remaining length) and closes the connection the moment a header announces more than the cap,
 * before the body is buffered anywhere: a CONNECT over a few kB before authentication, then
 * the cap the authenticated principal was given (a gateway: the protocol's message limit).
 * Everything else passes through untouched, with the socket's backpressure.
 */
export class MqttFrameGuard extends Duplex {
  private packetCap: number;
  private authenticated = false;
  private receivedBeforeAuth = 0;
  /** Parser state: reading a type byte, a length byte, or skipping a body. */
  private state: "type" | "length" | "body" = "type";
  private length = 0;
  private lengthMultiplier = 1;
  private bodyLeft = 0;

  constructor(
    readonly socket: Socket,
    private readonly limits: FrameLimits,
    private readonly onRefused: (reason: FrameRefusal, announcedBytes: number) => void,
  ) {
    super({ allowHalfOpen: false });
    this.packetCap = limits.beforeAuthPacketBytes;
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("end", () => this.push(null));
    socket.on("error", (error) => this.destroy(error));
    socket.on("close", () => this.destroy());
  }

  /** The client is who it said: from now on its packets may be up to `packetBytes`. */
  markAuthenticated(packetBytes: number): void {
    this.authenticated = true;
    this.packetCap = packetBytes;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    this.socket.write(chunk, (error) => done(error ?? undefined));
  }

  override _final(done: (error?: Error) => void): void {
    this.socket.end(done);
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.socket.destroy();
    done(error);
  }

  private receive(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.state === "body") {
        const skipped = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= skipped;
        offset += skipped;
        if (this.bodyLeft === 0) this.state = "type";
      } else if (this.state === "type") {
        offset += 1;
        this.state = "length";
        this.length = 0;
        this.lengthMultiplier = 1;
      } else {
        const byte = chunk[offset] ?? 0;
        offset += 1;
        this.length += (byte & 0x7f) * this.lengthMultiplier;
        if (byte & 0x80) {
          this.lengthMultiplier *= 128;
          // MQTT-1.5.5: at most four length bytes; a fifth is a malformed packet.
          if (this.lengthMultiplier > 128 ** 3) {
            this.refuse("malformed-length", this.length);
            return;
          }
          continue;
        }
        if (this.length > this.packetCap) {
          this.refuse("packet-too-large", this.length);
          return;
        }
        this.bodyLeft = this.length;
        this.state = this.length === 0 ? "type" : "body";
      }
    }
    // After the headers, so a huge announcement is reported as what it is.
    if (!this.authenticated) {
      this.receivedBeforeAuth += chunk.length;
      if (this.receivedBeforeAuth > this.limits.beforeAuthTotalBytes) {
        this.refuse("too-much-before-auth", this.receivedBeforeAuth);
        return;
      }
    }
    if (!this.push(chunk)) this.socket.pause();
  }

  private refuse(reason: FrameRefusal, announcedBytes: number): void {
    this.onRefused(reason, announcedBytes);
    this.socket.destroy();
    this.destroy();
  }
}
