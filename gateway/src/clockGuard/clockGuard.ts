import { readFileSync } from "node:fs";
import type { Logger } from "../logger.js";
import { writeFileAtomic } from "../persistence/atomicFile.js";

export interface ClockGuardOptions {
  /** Where the last trusted time survives restarts and power cuts. */
  file: string;
  /** How far behind the last trusted time the clock may be before it is distrusted. */
  toleranceMs: number;
  now: () => number;
  logger: Logger;
  /** The trust changed (for an event and the status). */
  onChange?: (trusted: boolean, at: number) => void;
  /** How often the running gateway saves the last trusted time (wear on an SD card). */
  persistEveryMs?: number;
}

/**
 * Whether the gateway may believe its own clock. A Pi has no battery-backed clock: after a power
 * cut without network it may wake up in 1970 or last week, and time windows (bookings, passes)
 * would then open at the wrong hours. The guard remembers the latest time it trusted and the
 * newest time it has seen from the cloud (bundle issue times); when the clock reads earlier than
 * that, minus a tolerance, time windows are denied ("clock-untrusted") and only offline staff
 * open, until the clock catches up (DESIGN.md "Offline and clock rules").
 */
export class ClockGuard {
  private floor = 0;
  private trusted = true;
  private lastPersisted = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(private readonly options: ClockGuardOptions) {
    this.log = options.logger.child({ module: "gateway:clock" });
  }

  load(): void {
    try {
      const saved = JSON.parse(readFileSync(this.options.file, "utf8")) as {
        lastTrusted?: unknown;
      };
      if (typeof saved.lastTrusted === "number" && Number.isFinite(saved.lastTrusted))
        this.floor = saved.lastTrusted;
    } catch {
      // No file yet (first start) or an unreadable one: start from what the cloud will tell us.
    }
    this.check(this.options.now());
  }

  /** Saves the last trusted time periodically, off the badge path (the decision never fsyncs). */
  start(): void {
    this.timer = setInterval(() => {
      if (this.floor > this.lastPersisted) this.persist();
    }, this.options.persistEveryMs ?? 60_000);
    this.timer.unref();
  }

  /** Stops the timer and saves once more. */
  stop(): void {
    clearInterval(this.timer);
    this.persist();
  }

  /** A time the cloud vouched for (a bundle's issue time): the clock cannot be earlier. */
  observe(time: number): void {
    if (time > this.floor) this.floor = time;
    this.check(this.options.now());
  }

  /**
   * The trust for a decision at `now`: a comparison, no I/O. While trusted, `now` itself raises
   * the floor (time only moves forward).
   */
  isTrusted(now: number = this.options.now()): boolean {
    return this.check(now);
  }

  status(): { trusted: boolean; lastTrustedTime: number | null } {
    return { trusted: this.trusted, lastTrustedTime: this.floor > 0 ? this.floor : null };
  }

  /** Writes the last trusted time now. */
  persist(): void {
    try {
      writeFileAtomic(this.options.file, JSON.stringify({ lastTrusted: this.floor }));
      this.lastPersisted = this.floor;
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "cannot persist the last trusted time");
    }
  }

  private check(now: number): boolean {
    const trusted = now >= this.floor - this.options.toleranceMs;
    if (trusted && now > this.floor) this.floor = now;
    if (trusted !== this.trusted) {
      this.trusted = trusted;
      if (trusted) this.log.info({ now }, "clock trusted again");
      else
        this.log.warn(
          { now, lastTrusted: this.floor },
          "clock is behind the last trusted time: time windows denied",
        );
      this.options.onChange?.(trusted, now);
    }
    return trusted;
  }
}
