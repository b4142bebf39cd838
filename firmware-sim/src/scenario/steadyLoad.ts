import { setTimeout as sleep } from "node:timers/promises";
import { lockBecomes, lockReleased } from "../doors/doorPassage.js";
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
  /** People who left by the exit button (button, lock released, door opened and closed). */
  readonly exits: number;
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
 * People also leave (exit button, door opened and closed) when the door has settled after its
 * last entry; `drain()` lets everyone still inside out when the load stops.
 */
export class SteadyLoad {
  private timer: NodeJS.Timeout | undefined;
  private latencies: number[] = [];
  private taps = 0;
  private notReleased = 0;
  private exits = 0;
  /** People let in by this load and not out yet, per entrance. */
  private readonly inside = new Map<LoadTarget, number>();
  /** When each door last let someone in (performance.now()). */
  private readonly lastGrant = new Map<LoadTarget, number>();
  /** One passage at a time per door, as people queue. */
  private readonly busy = new Set<LoadTarget>();
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
      exits: this.exits,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted.at(-1) ?? 0,
    };
    this.latencies = [];
    this.taps = 0;
    this.notReleased = 0;
    this.exits = 0;
    return result;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** People this load let in and has not let out yet, over all entrances. */
  insideCount(): number {
    let total = 0;
    for (const count of this.inside.values()) total += count;
    return total;
  }

  /**
   * After `stop()`: everyone still inside leaves by the exit button, door by door (in parallel
   * across doors), so the load centres do not stay on the board as occupied. `stillInside`
   * says how many a door's centre still counts (the cloud's board, by default this load's own
   * count); a few rounds, since a count reaches the board a moment after the exit. It first
   * lets `grantWindowMs` pass (the gateway reads a door cycle that starts that soon after an
   * entry grant as the entry's), and leaves `gapMs` between two people (a door reopened within
   * 100 ms is one cycle). Gives up on a door that does not release within `patienceMs` (its
   * gateway is gone). Returns the exits made.
   */
  async drain(
    stillInside: (target: LoadTarget) => Promise<number> = async (target) =>
      this.inside.get(target) ?? 0,
    options: { patienceMs?: number; grantWindowMs?: number; gapMs?: number; rounds?: number } = {},
  ): Promise<number> {
    const { patienceMs = 5000, grantWindowMs = 5500, gapMs = 300, rounds = 3 } = options;
    await sleep(grantWindowMs);
    const left = await Promise.all(
      this.targets.map(async (target) => {
        let count = 0;
        for (let round = 0; round < rounds; round += 1) {
          const inside = await stillInside(target).catch(() => 0);
          if (inside === 0) break;
          for (let i = 0; i < inside; i += 1) {
            if (!(await this.exitOnce(target, patienceMs))) return count;
            count += 1;
            await sleep(gapMs);
          }
          await sleep(1500);
        }
        return count;
      }),
    );
    return left.reduce((sum, n) => sum + n, 0);
  }

  private tapOnce(): void {
    const target = this.random.pick(this.targets);
    // An exit right after an entry grant would be read as part of that entry: only a settled
    // door sees someone leave.
    const settled = performance.now() - (this.lastGrant.get(target) ?? 0) > 5500;
    if (settled && (this.inside.get(target) ?? 0) > 0 && this.random.chance(1 / 3)) {
      if (!this.busy.has(target)) void this.exitOnce(target, this.patienceMs);
      return;
    }
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
      this.lastGrant.set(target, performance.now());
      this.inside.set(target, (this.inside.get(target) ?? 0) + 1);
      // Through the door and shut behind: the gateway relocks on the close, ready for the next.
      const contact = target.entrance.door.contact;
      contact.open();
      setTimeout(() => contact.close(), this.passMs);
    });
  }

  /** One person out: button, the lock releases, the door opens and closes, the lock again. */
  private async exitOnce(target: LoadTarget, patienceMs: number): Promise<boolean> {
    this.busy.add(target);
    try {
      const { lock, exitButton, contact } = target.entrance.door;
      await lockBecomes(lock, false, patienceMs);
      const released = lockReleased(lock, patienceMs);
      exitButton.push();
      if (!(await released)) return false;
      contact.open();
      await new Promise((resolve) => setTimeout(resolve, this.passMs));
      contact.close();
      await lockBecomes(lock, false, patienceMs);
      this.inside.set(target, Math.max(0, (this.inside.get(target) ?? 0) - 1));
      this.exits += 1;
      return true;
    } finally {
      this.busy.delete(target);
    }
  }
}
