import type { FastifyReply } from "fastify";

/** The SSE heartbeat: a comment line, so proxies and the browser see the stream is alive. */
export const defaultHeartbeatMs = 15_000;

/**
 * One Server-Sent Events response (WHATWG HTML §9.2 "Server-sent events"), written on the raw
 * socket after `reply.hijack()`. Bounded memory for a slow reader: while the socket is
 * congested, only the latest message per key waits (a console wants the current state, not
 * the history), and they are written on `drain`.
 */
export class EventStream {
  /** Aborted when the client goes away or the server closes the stream. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly waiting = new Map<string, string>();
  private congested = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly reply: FastifyReply,
    heartbeatMs = defaultHeartbeatMs,
  ) {
    this.signal = this.controller.signal;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx buffers proxied responses unless told not to; an event must not wait there.
      "x-accel-buffering": "no",
    });
    // "retry" tells a client that reconnects by itself how long to wait (§9.2.6).
    this.write("retry", "retry: 5000\n\n");
    this.heartbeat = setInterval(() => this.write(":", ": heartbeat\n\n"), heartbeatMs);
    raw.on("close", () => this.close());
    raw.on("drain", () => this.flush());
  }

  get closed(): boolean {
    return this.signal.aborted;
  }

  /** Sends `data` as JSON under the event name; a later send with the same key supersedes it. */
  send(event: string, data: unknown, key: string = event): void {
    // JSON.stringify never emits a raw newline, so the data fits one "data:" line.
    this.write(key, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the response (server stopping) or cleans up after the client left. Idempotent. */
  close(): void {
    if (this.signal.aborted) return;
    clearInterval(this.heartbeat);
    this.waiting.clear();
    this.controller.abort();
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
  }

  private write(key: string, text: string): void {
    if (this.closed) return;
    if (this.congested) {
      this.waiting.set(key, text);
      return;
    }
    this.congested = !this.reply.raw.write(text);
  }

  private flush(): void {
    this.congested = false;
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const [key, text] of waiting) this.write(key, text);
  }
}

/** Open streams of one API instance, so stopping the server ends them instead of hanging. */
export class EventStreams {
  private readonly open = new Set<EventStream>();

  add(stream: EventStream): void {
    this.open.add(stream);
    stream.signal.addEventListener("abort", () => this.open.delete(stream), { once: true });
  }

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}
