import type { FastifyReply } from "fastify";
import type { Clock } from "../../../domain/serviceDeps.js";
import { HttpProblem } from "../../httpProblem.js";

/**
 * At most `max` requests per key in each `windowMs` (a fixed window, in memory, per process):
 * enough to keep the account routes (reset e-mails, link guessing) from being used as a
 * flood. Login has its own throttle with lockouts (http/loginThrottle.ts).
 */
export class WindowLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one request; throws a 429 problem (with Retry-After) when over the limit. */
  take(key: string, reply: FastifyReply): void {
    const now = this.clock.now();
    let window = this.#windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      if (this.#windows.size >= this.maxKeys) this.#prune(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count > this.max) {
      const retryAfter = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      void reply.header("retry-after", String(retryAfter));
      throw new HttpProblem(
        429,
        "Too Many Requests",
        `too many requests; retry in ${retryAfter} s`,
      );
    }
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    // Still full of live windows: drop the oldest rather than grow without bound.
    while (this.#windows.size >= this.maxKeys) {
      const oldest = this.#windows.keys().next().value;
      if (oldest === undefined) break;
      this.#windows.delete(oldest);
    }
  }
}
