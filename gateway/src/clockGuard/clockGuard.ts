import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Logger } from "../core/logger.js";
import { writeFileAtomic } from "../persistence/atomicFile.js";

export interface ClockGuardOptions {
  /** Where the last trusted time survives restarts and power cuts. */
  file: string;
  /** How far behind the trusted time the clock may be before it is distrusted. */
  toleranceMs: number;
  /** The wall clock being judged. */
  now: () => number;
  /** A monotonic clock in ms (never steps); performance.now by default. */
  monotonic?: () => number;
  logger: Logger;
  /** The trust changed (for an event and the status). */
  onChange?: (trusted: boolean, at: number) => void;
  /** How often the running gateway saves the trusted time (wear on an SD card). */
  persistEveryMs?: number;
}

/**
 * Whether the gateway may believe its own clock. A Pi has no battery-backed clock: after a power
 * cut without network it may wake up in 1970 or last week, and time windows (bookings, passes)
 * would open at the wrong hours (docs/gateway.md, "Offline and clock rules").
 *
 * The guard keeps a floor below which the true time cannot be: the floor saved at the last run,
 * raised by times the cloud vouched for (bundle issue times) and by monotonic time elapsed since
 * — never by the wall clock itself, so a clock that wrongly jumps to 2030 and is then corrected
 * does not leave the floor in 2030. A clock reading below the floor minus a tolerance is
 * untrusted: time windows are denied ("clock-untrusted"), offline staff still open.
 */
export class ClockGuard {
  private base = 0;
  private baseAt: number;
  private trusted = true;
  private lastPersisted = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly monotonic: () => number;
  private readonly log: Logger;

  constructor(private readonly options: ClockGuardOptions) {
    this.log = options.logger.child({ module: "gateway:clock" });
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.baseAt = this.monotonic();
  }

  load(): void {
    try {
      const saved = JSON.parse(readFileSync(this.options.file, "utf8")) as {
        lastTrusted?: unknown;
      };
      if (typeof saved.lastTrusted === "number" && Number.isFinite(saved.lastTrusted))
        this.raise(saved.lastTrusted);
    } catch {
      // No file yet (first start) or an unreadable one: start from what the cloud will tell us.
    }
    this.check(this.options.now());
  }

  /** Saves the floor periodically, off the badge path (the decision never touches the disk). */
  start(): void {
    this.timer = setInterval(() => {
      if (this.floor() > this.lastPersisted) this.persist();
    }, this.options.persistEveryMs ?? 60_000);
    this.timer.unref();
  }

  /** Stops the timer and saves once more. */
  stop(): void {
    clearInterval(this.timer);
    this.persist();
  }

  /** A time the cloud vouched for (a bundle's issue time): the true time cannot be earlier. */
  observe(time: number): void {
    this.raise(time);
    this.check(this.options.now());
  }

  /** The trust for a decision at `now`: arithmetic only, no I/O. */
  isTrusted(now: number = this.options.now()): boolean {
    return this.check(now);
  }

  status(): { trusted: boolean; lastTrustedTime: number | null } {
    const floor = this.floor();
    return { trusted: this.trusted, lastTrustedTime: floor > 0 ? floor : null };
  }

  /** Writes the floor now. */
  persist(): void {
    const floor = this.floor();
    try {
      writeFileAtomic(this.options.file, JSON.stringify({ lastTrusted: floor }));
      this.lastPersisted = floor;
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, "cannot persist the last trusted time");
    }
  }

  /** The floor moves forward with monotonic time from its last known point. */
  private floor(): number {
    return this.base === 0 ? 0 : this.base + (this.monotonic() - this.baseAt);
  }

  private raise(time: number): void {
    if (time > this.floor()) {
      this.base = time;
      this.baseAt = this.monotonic();
    }
  }

  private check(now: number): boolean {
    const trusted = now >= this.floor() - this.options.toleranceMs;
    if (trusted !== this.trusted) {
      this.trusted = trusted;
      if (trusted) this.log.info({ now }, "clock trusted again");
      else
        this.log.warn(
          { now, floor: this.floor() },
          "clock is behind the trusted time: time windows denied",
        );
      this.options.onChange?.(trusted, now);
    }
    return trusted;
  }
}
