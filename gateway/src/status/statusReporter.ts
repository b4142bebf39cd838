import { encodeMessage, type OnlineStatus } from "@passerelle/protocol";
import type { Logger } from "../core/logger.js";

/** Where each part of the status comes from; each read is cheap and never throws. */
export interface StatusSources {
  centre: string;
  software: string;
  bundle(): { version: number | null; validUntil: number | null; issuedAt?: number | null };
  clock(): { trusted: boolean; lastTrustedTime: number | null };
  outbox(): OnlineStatus["outbox"];
  readers(): OnlineStatus["readers"];
  doors(): OnlineStatus["doors"];
}

export interface StatusReporterOptions {
  now: () => number;
  logger: Logger;
  /** Republish at least this often (a manager's console shows how fresh it is). */
  intervalMs?: number;
  /** Coalesce bursts of changes into one publish per this period. */
  minGapMs?: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Publishes the gateway's retained `status` (protocol/README.md, "status"): on change, coalesced,
 * and every minute. The broker keeps the last one, and replaces it with the last will
 * (`offline`) if the gateway vanishes.
 */
export class StatusReporter {
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private lastPublished = Number.NEGATIVE_INFINITY;
  private readonly log: Logger;

  constructor(
    private readonly sources: StatusSources,
    private readonly publish: (payload: Buffer) => Promise<void>,
    private readonly options: StatusReporterOptions,
  ) {
    this.log = options.logger.child({ module: "gateway:status" });
  }

  snapshot(): OnlineStatus {
    const { sources } = this;
    const bundle = sources.bundle();
    const clock = sources.clock();
    return {
      state: "online",
      time: new Date(this.options.now()).toISOString(),
      software: sources.software,
      centre: sources.centre,
      bundleVersion: bundle.version,
      bundleValidUntil: iso(bundle.validUntil),
      bundleIssuedAt: iso(bundle.issuedAt ?? null),
      clock: { trusted: clock.trusted, lastTrustedTime: iso(clock.lastTrustedTime) },
      outbox: sources.outbox(),
      readers: sources.readers(),
      doors: sources.doors(),
    };
  }

  start(): void {
    this.timer = setInterval(() => this.publishNow(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.pending);
  }

  /** Something in the status changed: publish soon, at most once per `minGapMs`. */
  changed(): void {
    if (this.pending) return;
    const gap = this.options.minGapMs ?? 1000;
    const wait = Math.max(0, this.lastPublished + gap - this.options.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.publishNow();
    }, wait);
  }

  publishNow(): void {
    let payload: Buffer;
    try {
      payload = encodeMessage("status", this.snapshot());
    } catch (error) {
      this.log.error({ err: (error as Error).message }, "status does not match its schema");
      return;
    }
    this.lastPublished = this.options.now();
    this.publish(payload).catch((error: Error) =>
      this.log.debug({ err: error.message }, "status not published (offline)"),
    );
  }
}
