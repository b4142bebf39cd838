import { lockReleased } from "../doors/doorPassage.js";
import type { SimulatedEntrance } from "../doors/simulatedEntrance.js";
import { SeededRandom } from "./seededRandom.js";

export interface LoadTarget {
  readonly entrance: SimulatedEntrance;
  /** Card UIDs (hex) of the people who may badge here. */
  readonly uids: readonly string[];
}

export interface LoadWindow {
  readonly taps: number;
  readonly released: number;
  readonly notReleased: number;
  /** Tap to lock release, milliseconds, of the releases in this window. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);

/**
 * Badges at a target rate across many entrances, for load work (`npm run sim`): no walking
 * through doors slowly: a tap, the door opened for a moment, each tap timed from the card to the
 * lock's release. A tap at an entrance still released by the previous one is counted, not timed.
 */
export class SteadyLoad {
  private timer: NodeJS.Timeout | undefined;
  private latencies: number[] = [];
  private taps = 0;
  private notReleased = 0;
  private readonly random: SeededRandom;

  constructor(
    private readonly targets: readonly LoadTarget[],
    private readonly ratePerSecond: number,
    seed: string,
    private readonly patienceMs = 2000,
    private readonly passMs = 300,
  ) {
    if (targets.length === 0) throw new Error("no entrance to badge at");
    if (!(ratePerSecond > 0)) throw new Error("the rate must be positive");
    this.random = new SeededRandom(`load:${seed}`);
  }

  start(): void {
    // Ticks of 10 ms (or slower for low rates), each with the taps due by then: setTimeout
    // cannot fire every 1 ms, and bursts per tick are what a network of doors sends anyway.
    const tickMs = Math.max(10, Math.min(1000, 1000 / this.ratePerSecond));
    let due = 0;
    this.timer = setInterval(() => {
      due += (this.ratePerSecond * tickMs) / 1000;
      for (; due >= 1; due -= 1) this.tapOnce();
    }, tickMs);
  }

  /** The counts since the previous call, and the latency percentiles of that window. */
  window(): LoadWindow {
    const sorted = this.latencies.sort((a, b) => a - b);
    const result = {
      taps: this.taps,
      released: sorted.length,
      notReleased: this.notReleased,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? 0,
    };
    this.latencies = [];
    this.taps = 0;
    this.notReleased = 0;
    return result;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tapOnce(): void {
    const target = this.random.pick(this.targets);
    const uid = this.random.pick(target.uids);
    const lock = target.entrance.door.lock;
    this.taps += 1;
    if (lock.unlocked === true) {
      target.entrance.reader.tap(Buffer.from(uid, "hex"));
      return;
    }
    const tapped = performance.now();
    const released = lockReleased(lock, this.patienceMs);
    target.entrance.reader.tap(Buffer.from(uid, "hex"));
    void released.then((ok) => {
      if (!ok) {
        this.notReleased += 1;
        return;
      }
      this.latencies.push(performance.now() - tapped);
      // Through the door and shut behind: the gateway relocks on the close, ready for the next.
      const contact = target.entrance.door.contact;
      contact.open();
      setTimeout(() => contact.close(), this.passMs);
    });
  }
}
